. "$(dirname "$0")/lib.sh"
echo hello from trivial
netns_pair a b
ip netns exec a ping -c1 -W2 192.0.2.2
ip netns exec a ping -6 -c1 -W2 2001:db8::2
tcp_listen b 2001:db8::2 8080
tcp_connect a 2001:db8::2 8080
sleep 1000 &
