// Command vmimage builds the golden pfSense QCOW2 image by driving the installer over
// QEMU's serial console.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	flag.Usage = func() {
		fmt.Fprint(flag.CommandLine.Output(), "Usage: vmimage [flags]\n\nBuilds the golden pfSense QCOW2 image (REST API installed and keyed) over QEMU's serial console.\n\nFlags:\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	fmt.Fprintln(os.Stderr, "vmimage: building images is not implemented yet")
	os.Exit(2)
}
