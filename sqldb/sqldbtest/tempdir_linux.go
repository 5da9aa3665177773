package sqldbtest

import (
	"os"
	"syscall"
)

// memoryDir returns /dev/shm when it is a writable tmpfs with at least
// memoryRoom free, else "".
func memoryDir() string {
	const shm = "/dev/shm"
	const tmpfsMagic = 0x01021994
	var st syscall.Statfs_t
	if err := syscall.Statfs(shm, &st); err != nil || st.Type != tmpfsMagic {
		return ""
	}
	if uint64(st.Bavail)*uint64(st.Bsize) < memoryRoom {
		return ""
	}
	if info, err := os.Stat(shm); err != nil || !info.IsDir() || syscall.Access(shm, 2 /* W_OK */) != nil {
		return ""
	}
	return shm
}
