package redress

import (
	"bytes"
	"strings"
	"testing"
)

func TestMasks(t *testing.T) {
	tests := []struct{ got, want string }{
		{MaskID("110101199003071234"), "110***********1234"},
		{MaskID("E12345678"), "E12**5678"},
		{MaskPhone("13812345678"), "138****5678"},
		{MaskPhone("+8613812345678"), "138****5678"},
		{MaskPhone("010-12345678"), "********5678"},
		{MaskAccount("6222021234567890123"), "622202*********0123"},
		{MaskName("张三"), "张*"},
		{MaskName("欧阳娜娜"), "欧***"},
		{MaskID(""), ""},
		{MaskID("1234"), "***4"},
		{MaskEmail("wang.fang@bank.example"), "w***@bank.example"},
		{MaskEmail("张三@例子.中国"), "张***@例子.中国"},
		{MaskAddress("北京市海淀区中关村大街1号院3号楼502"), "北京市海淀区****"},
		{MaskAddress("海淀区"), "海****"},
		{MaskAddress(""), ""},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}

func TestKeyring(t *testing.T) {
	k1 := bytes.Repeat([]byte{1}, KeySize)
	k2 := bytes.Repeat([]byte{2}, KeySize)
	old, err := NewKeyring(map[int][]byte{1: k1})
	if err != nil {
		t.Fatal(err)
	}
	sealed := old.Seal("110101199003071234", "case:TS1:id_number")
	if !strings.HasPrefix(sealed, "v1:") || strings.Contains(sealed, "1234") {
		t.Fatalf("sealed %q", sealed)
	}
	if old.Seal("110101199003071234", "case:TS1:id_number") == sealed {
		t.Fatal("sealing twice must differ (random nonce)")
	}
	rotated, err := NewKeyring(map[int][]byte{1: k1, 2: k2})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := rotated.Open(sealed, "case:TS1:id_number"); err != nil || got != "110101199003071234" {
		t.Fatalf("open with rotated ring: %q %v", got, err)
	}
	if !strings.HasPrefix(rotated.Seal("x", "a"), "v2:") {
		t.Fatal("the newest key seals")
	}
	if _, err := rotated.Open(sealed, "case:TS2:id_number"); err == nil {
		t.Fatal("a ciphertext moved to another row must not open")
	}
	if old.BlindIndex("phone", "13812345678") != rotated.BlindIndex("phone", "13812345678") {
		t.Fatal("the blind index must survive rotation")
	}
	if old.BlindIndex("phone", "13812345678") == old.BlindIndex("id", "13812345678") {
		t.Fatal("blind index domains must differ")
	}
	if _, err := NewKeyring(map[int][]byte{1: []byte("short")}); err == nil {
		t.Fatal("a short key must be refused")
	}
	if v, err := old.Open("", "x"); err != nil || v != "" {
		t.Fatal("empty opens to empty")
	}
}

func TestReadKeyFile(t *testing.T) {
	key := strings.Repeat("ab", KeySize)
	ring, err := ReadKeyFile(strings.NewReader("# keys\n\n1 " + key + "\n2 " + strings.Repeat("cd", KeySize) + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if sealed := ring.Seal("13800138000", "aad"); sealed == "" {
		t.Fatal("a keyring read from the file seals")
	}
	for _, bad := range []string{"1\n", "x " + key + "\n", "1 not-hex\n", "1 abcd\n"} {
		if _, err := ReadKeyFile(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}
