//go:build !linux

package sqldbtest

// memoryDir returns "": only on Linux does TempDir look for a memory-backed
// directory.
func memoryDir() string { return "" }
