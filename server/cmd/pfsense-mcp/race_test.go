//go:build race

package main

// The race detector slows the server several times over.
func init() { shutdownSlack = 3 }
