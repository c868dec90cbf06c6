//go:build linux

package main

import (
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// setupNetwork brings up lo and the NIC with cfg.MAC, gives it cfg.Address and a default
// route via cfg.Gateway.
func setupNetwork(cfg Config) error {
	if err := linkUp("lo"); err != nil {
		return err
	}
	if cfg.MAC == "" {
		return nil
	}
	name, err := interfaceByMAC(cfg.MAC, 10*time.Second)
	if err != nil {
		return err
	}
	if err := linkUp(name); err != nil {
		return err
	}
	ip, ipnet, err := net.ParseCIDR(cfg.Address)
	if err != nil {
		return fmt.Errorf("address %q: %w", cfg.Address, err)
	}
	iface, err := net.InterfaceByName(name)
	if err != nil {
		return err
	}
	ones, _ := ipnet.Mask.Size()
	if err := addAddress(iface.Index, ip.To4(), ones); err != nil {
		return fmt.Errorf("address %s on %s: %w", cfg.Address, name, err)
	}
	if cfg.Gateway != "" {
		gw := net.ParseIP(cfg.Gateway).To4()
		if gw == nil {
			return fmt.Errorf("gateway %q is not an IPv4 address", cfg.Gateway)
		}
		if err := addDefaultRoute(iface.Index, gw); err != nil {
			return fmt.Errorf("default route via %s: %w", cfg.Gateway, err)
		}
	}
	logf("%s (%s) up: %s via %s", name, cfg.MAC, cfg.Address, cfg.Gateway)
	return nil
}

func interfaceByMAC(mac string, wait time.Duration) (string, error) {
	deadline := time.Now().Add(wait)
	for {
		addrs, _ := filepath.Glob("/sys/class/net/*/address")
		for _, a := range addrs {
			b, err := os.ReadFile(a)
			if err == nil && strings.EqualFold(strings.TrimSpace(string(b)), mac) {
				return filepath.Base(filepath.Dir(a)), nil
			}
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("no network interface with MAC %s (is the e1000 module loaded?)", mac)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func linkUp(name string) error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return fmt.Errorf("flags of %s: %w", name, err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
		return fmt.Errorf("bring %s up: %w", name, err)
	}
	return nil
}

// netlink sends one rtnetlink request and waits for its acknowledgement.
func netlink(msgType uint16, body []byte) error {
	fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	if err := unix.Bind(fd, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return err
	}
	msg := make([]byte, unix.NLMSG_HDRLEN, unix.NLMSG_HDRLEN+len(body))
	msg = append(msg, body...)
	hdr := (*unix.NlMsghdr)(unsafe.Pointer(&msg[0]))
	hdr.Len = uint32(len(msg))
	hdr.Type = msgType
	hdr.Flags = unix.NLM_F_REQUEST | unix.NLM_F_ACK | unix.NLM_F_CREATE | unix.NLM_F_EXCL
	hdr.Seq = 1
	if err := unix.Sendto(fd, msg, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return err
	}
	buf := make([]byte, 4096)
	n, _, err := unix.Recvfrom(fd, buf, 0)
	if err != nil {
		return err
	}
	// The answer is one nlmsgerr: a header, then the error code (0 acknowledges).
	if n < unix.NLMSG_HDRLEN+4 || binary.NativeEndian.Uint16(buf[4:6]) != unix.NLMSG_ERROR {
		return fmt.Errorf("unexpected netlink answer (%d bytes)", n)
	}
	if code := int32(binary.NativeEndian.Uint32(buf[unix.NLMSG_HDRLEN:])); code != 0 {
		return unix.Errno(-code)
	}
	return nil
}

// rtattr encodes one route attribute.
func rtattr(typ uint16, data []byte) []byte {
	l := unix.SizeofRtAttr + len(data)
	b := make([]byte, (l+3)&^3)
	binary.NativeEndian.PutUint16(b[0:2], uint16(l))
	binary.NativeEndian.PutUint16(b[2:4], typ)
	copy(b[4:], data)
	return b
}

func addAddress(index int, ip net.IP, prefix int) error {
	msg := make([]byte, unix.SizeofIfAddrmsg)
	ifa := (*unix.IfAddrmsg)(unsafe.Pointer(&msg[0]))
	ifa.Family = unix.AF_INET
	ifa.Prefixlen = uint8(prefix)
	ifa.Index = uint32(index)
	msg = append(msg, rtattr(unix.IFA_LOCAL, ip)...)
	msg = append(msg, rtattr(unix.IFA_ADDRESS, ip)...)
	return netlink(unix.RTM_NEWADDR, msg)
}

func addDefaultRoute(index int, gw net.IP) error {
	msg := make([]byte, unix.SizeofRtMsg)
	rt := (*unix.RtMsg)(unsafe.Pointer(&msg[0]))
	rt.Family = unix.AF_INET
	rt.Table = unix.RT_TABLE_MAIN
	rt.Protocol = unix.RTPROT_BOOT
	rt.Scope = unix.RT_SCOPE_UNIVERSE
	rt.Type = unix.RTN_UNICAST
	oif := make([]byte, 4)
	binary.NativeEndian.PutUint32(oif, uint32(index))
	msg = append(msg, rtattr(unix.RTA_GATEWAY, gw)...)
	msg = append(msg, rtattr(unix.RTA_OIF, oif)...)
	return netlink(unix.RTM_NEWROUTE, msg)
}
