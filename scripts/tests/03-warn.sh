. "$(dirname "$0")/lib.sh"
echo "WARNING: CPU: 0 PID: 1 fake warn" > /dev/kmsg
