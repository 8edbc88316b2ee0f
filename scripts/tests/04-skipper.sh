. "$(dirname "$0")/lib.sh"
skip "not today"
