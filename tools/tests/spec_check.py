#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that Documentation/netlink/specs/tcpwatch.yaml and
include/uapi/linux/tcpwatch.h describe the same family: every enum name,
value and count, the constants, the family/version/group defines, and
that the spec's references (nests, enums, op attributes, mcast groups)
resolve.  Exit 0 if they agree, 1 with the differences, 77 if PyYAML is
missing."""
import os
import re
import sys

try:
    import yaml
except ImportError:
    sys.exit(77)

top = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
spec = yaml.safe_load(open(os.path.join(
    top, 'Documentation/netlink/specs/tcpwatch.yaml')))
hdr = open(os.path.join(top, 'include/uapi/linux/tcpwatch.h')).read()
errors = []


def cname(s):
    return s.upper().replace('-', '_')


def header_enum(name):
    m = re.search(r'enum %s \{(.*?)\};' % name, hdr, re.S)
    if not m:
        errors.append('header has no enum ' + name)
        return {}
    body = re.sub(r'/\*.*?\*/', '', m.group(1), flags=re.S)
    vals, v = {}, 0
    for item in body.split(','):
        item = item.strip()
        if not item:
            continue
        if '=' in item:
            n, e = [x.strip() for x in item.split('=')]
            v = int(e)
        else:
            n = item
        vals[n] = v
        v += 1
    return vals


def compare(what, got, want):
    for k in sorted(set(got) | set(want)):
        if got.get(k) != want.get(k):
            errors.append('%s: %s is %s in the spec, %s in the header' %
                          (what, k, got.get(k), want.get(k)))


sets = {s['name']: s for s in spec['attribute-sets']}
defs = {d['name']: d for d in spec.get('definitions', [])}
groups = [g['name'] for g in spec.get('mcast-groups', {}).get('list', [])]

for s in spec['attribute-sets']:
    prefix = cname(s['name-prefix'])
    got, v = {}, 1
    for a in s['attributes']:
        v = a.get('value', v)
        got[prefix + cname(a['name'])] = v
        v += 1
        if a.get('nested-attributes') and a['nested-attributes'] not in sets:
            errors.append('%s.%s: no set %s' % (s['name'], a['name'],
                                                a['nested-attributes']))
        if a.get('enum') and a['enum'] not in defs:
            errors.append('%s.%s: no enum %s' % (s['name'], a['name'],
                                                 a['enum']))
    got['__%sMAX' % prefix] = v
    compare('enum ' + s['enum-name'], got,
            header_enum(cname(s['enum-name']).lower()))
    if '#define %sMAX (__%sMAX - 1)' % (prefix, prefix) not in hdr:
        errors.append('header lacks %sMAX' % prefix)

ops = spec['operations']
prefix = cname(ops['name-prefix'])
got, v = {}, 1
for o in ops['list']:
    v = o.get('value', v)
    got[prefix + cname(o['name'])] = v
    v += 1
    names = [a['name'] for a in sets[o['attribute-set']]['attributes']] \
        if 'attribute-set' in o else []
    used = o.get('event', {}).get('attributes', [])
    for k in ('do', 'dump'):
        for r in ('request', 'reply'):
            used += o.get(k, {}).get(r, {}).get('attributes', [])
    for a in used:
        if a not in names:
            errors.append('op %s: no attribute %s' % (o['name'], a))
    if 'mcgrp' in o and o['mcgrp'] not in groups:
        errors.append('op %s: no group %s' % (o['name'], o['mcgrp']))
got['__%sMAX' % prefix] = v
compare('enum ' + ops['enum-name'], got,
        header_enum(cname(ops['enum-name']).lower()))
if '#define %sMAX (__%sMAX - 1)' % (prefix, prefix) not in hdr:
    errors.append('header lacks %sMAX' % prefix)

for d in defs.values():
    if d['type'] == 'const':
        if not re.search(r'#define TCPWATCH_%s\s+%d\b' %
                         (cname(d['name']), d['value']), hdr):
            errors.append('const %s = %d not in header' %
                          (d['name'], d['value']))
    elif d['type'] == 'enum' and not d.get('header'):
        got = {cname(d['name-prefix'] + (e if isinstance(e, str)
                                         else e['name'])): i
               for i, e in enumerate(d['entries'], d.get('value-start', 0))}
        compare('enum ' + d['enum-name'], got,
                header_enum(cname(d['enum-name']).lower()))

for pat in (r'#define TCPWATCH_GENL_NAME\s+"%s"' % spec['name'],
            r'#define TCPWATCH_GENL_VERSION\s+%d\b' % spec.get('version', 1),
            r'#define TCPWATCH_MCGRP_EVENTS\s+"events"'):
    if not re.search(pat, hdr):
        errors.append('header lacks ' + pat)
if groups != ['events']:
    errors.append('mcast groups %s' % groups)

for e in errors:
    print('spec_check:', e)
sys.exit(1 if errors else 0)
