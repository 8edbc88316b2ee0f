#!/bin/bash
# 73-flood with an event reader that, like the tcpwatch CLI, does not set
# NETLINK_BROADCAST_ERROR. Expected to fail until the module counts these
# losses: netlink_broadcast() returns -ESRCH, not -ENOBUFS, when the only
# listener's buffer is full unless that listener set the option, and
# tcpw_event_send() takes -ESRCH for "no reader left", so `events lost`
# stays 0 while the kernel's Drops for the reader grow. See README.md here.
TW_FLOOD_BCERR=0 exec bash "$(dirname "$0")/../73-flood.sh"
