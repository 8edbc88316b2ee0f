. "$(dirname "$0")/lib.sh"
echo about to fail
false
