package redress

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaskID masks an identity document number: first 3 and last 4 characters
// kept, e.g. 110***********1234 (DOMAIN.md §6).
func MaskID(s string) string { return maskMiddle(s, 3, 4) }

// MaskPhone masks a phone number: a mainland mobile keeps its first 3 and
// last 4 digits (138****5678); other numbers keep their last 4.
func MaskPhone(s string) string {
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "+86"), "86")
	if len(digits) == 11 && digits[0] == '1' {
		return maskMiddle(digits, 3, 4)
	}
	return maskMiddle(s, 0, 4)
}

// MaskAccount masks an account or card number: first 6 and last 4 kept.
func MaskAccount(s string) string { return maskMiddle(s, 6, 4) }

// MaskAddress masks a postal address: its first six characters kept (the
// province and city, or the district: 北京市海淀区****), the rest starred,
// so the street, building and door number are never shown.
func MaskAddress(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return ""
	}
	keep := 6
	if len(r) <= keep {
		keep = len(r) / 3
	}
	return string(r[:keep]) + "****"
}

// MaskName masks a personal name for lists where policy says so: the surname
// and a star per remaining character (张*, 欧阳**).
func MaskName(s string) string {
	r := []rune(s)
	if len(r) <= 1 {
		return s
	}
	return string(r[:1]) + strings.Repeat("*", len(r)-1)
}

func maskMiddle(s string, head, tail int) string {
	r := []rune(s)
	if len(r) == 0 {
		return ""
	}
	if len(r) <= head+tail {
		// Too short to keep both ends: keep at most the last quarter.
		keep := len(r) / 4
		return strings.Repeat("*", len(r)-keep) + string(r[len(r)-keep:])
	}
	return string(r[:head]) + strings.Repeat("*", len(r)-head-tail) + string(r[len(r)-tail:])
}

// Keyring holds the versioned master keys that protect personal data at rest.
// Each field is sealed with AES-256-GCM under a key derived (HKDF-SHA256) from
// the newest master key; the row and column it belongs to are bound in the
// additional data, so a ciphertext copied to another row does not open.
// A separate derived key makes the HMAC blind index for exact-match lookup.
type Keyring struct {
	current int
	aeads   map[int]cipher.AEAD
	index   []byte // blind index key: from the first key version, stable across rotations
}

// KeySize is the size of a master key in bytes.
const KeySize = 32

// NewKeyring builds a keyring from master keys by version. The highest
// version seals new data; every version opens what it sealed. The blind
// index key comes from the lowest version so that lookups survive rotation.
func NewKeyring(keys map[int][]byte) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("keyring: no keys")
	}
	k := &Keyring{aeads: map[int]cipher.AEAD{}}
	lowest := 0
	for version, master := range keys {
		if len(master) != KeySize {
			return nil, fmt.Errorf("keyring: key version %d is %d bytes, want %d", version, len(master), KeySize)
		}
		if version < 1 {
			return nil, fmt.Errorf("keyring: key version %d must be positive", version)
		}
		sealKey, err := hkdf.Key(sha256.New, master, nil, "redress pii seal v1", 32)
		if err != nil {
			return nil, fmt.Errorf("keyring: derive key %d: %w", version, err)
		}
		block, err := aes.NewCipher(sealKey)
		if err != nil {
			return nil, fmt.Errorf("keyring: key %d: %w", version, err)
		}
		aead, err := cipher.NewGCMWithRandomNonce(block)
		if err != nil {
			return nil, fmt.Errorf("keyring: key %d: %w", version, err)
		}
		k.aeads[version] = aead
		if version > k.current {
			k.current = version
		}
		if lowest == 0 || version < lowest {
			lowest = version
			k.index, err = hkdf.Key(sha256.New, master, nil, "redress pii blind index v1", 32)
			if err != nil {
				return nil, fmt.Errorf("keyring: derive index key: %w", err)
			}
		}
	}
	return k, nil
}

// Seal encrypts plaintext bound to aad (e.g. "cases/42/id_number") and returns
// "v<version>:<base64>". The empty string seals to the empty string.
func (k *Keyring) Seal(plaintext, aad string) string {
	if plaintext == "" {
		return ""
	}
	sealed := k.aeads[k.current].Seal(nil, nil, []byte(plaintext), []byte(aad))
	return "v" + strconv.Itoa(k.current) + ":" + base64.RawStdEncoding.EncodeToString(sealed)
}

// Current returns the key version that seals new data.
func (k *Keyring) Current() int { return k.current }

// SealedVersion returns the key version a sealed value was sealed under,
// or 0 for the empty string or a value that is not sealed.
func SealedVersion(sealed string) int {
	head, _, ok := strings.Cut(sealed, ":")
	if !ok || !strings.HasPrefix(head, "v") {
		return 0
	}
	v, err := strconv.Atoi(head[1:])
	if err != nil {
		return 0
	}
	return v
}

// MissingKeyError reports a sealed value whose key version is not loaded.
type MissingKeyError struct{ Version int }

// Error implements the error interface.
func (e *MissingKeyError) Error() string {
	return fmt.Sprintf("keyring: key version %d is not loaded", e.Version)
}

// SealBytes encrypts binary content bound to aad: one byte of key version,
// then the nonce, ciphertext and tag.
func (k *Keyring) SealBytes(plain []byte, aad string) []byte {
	out := []byte{byte(k.current)}
	return k.aeads[k.current].Seal(out, nil, plain, []byte(aad))
}

// OpenBytes decrypts what SealBytes produced with the same aad.
func (k *Keyring) OpenBytes(sealed []byte, aad string) ([]byte, error) {
	if len(sealed) < 1 {
		return nil, errors.New("keyring: empty sealed content")
	}
	version := int(sealed[0])
	aead, ok := k.aeads[version]
	if !ok {
		return nil, &MissingKeyError{Version: version}
	}
	plain, err := aead.Open(nil, nil, sealed[1:], []byte(aad))
	if err != nil {
		return nil, fmt.Errorf("keyring: open %s: %w", aad, err)
	}
	return plain, nil
}

// Open decrypts what Seal produced with the same aad.
func (k *Keyring) Open(sealed, aad string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	head, body, ok := strings.Cut(sealed, ":")
	if !ok || !strings.HasPrefix(head, "v") {
		return "", errors.New("keyring: not a sealed value")
	}
	version, err := strconv.Atoi(head[1:])
	if err != nil {
		return "", errors.New("keyring: bad key version")
	}
	aead, ok := k.aeads[version]
	if !ok {
		return "", &MissingKeyError{Version: version}
	}
	raw, err := base64.RawStdEncoding.DecodeString(body)
	if err != nil {
		return "", fmt.Errorf("keyring: decode: %w", err)
	}
	plain, err := aead.Open(nil, nil, raw, []byte(aad))
	if err != nil {
		return "", fmt.Errorf("keyring: open %s: %w", aad, err)
	}
	return string(plain), nil
}

// BlindIndex returns a keyed hash of a normalised value for exact-match
// lookup without storing the value. The kind ("phone", "id") separates domains.
func (k *Keyring) BlindIndex(kind, value string) string {
	if value == "" {
		return ""
	}
	mac := hmac.New(sha256.New, k.index)
	mac.Write([]byte(kind))
	mac.Write([]byte{0})
	mac.Write([]byte(strings.ToUpper(strings.TrimSpace(value))))
	return hex.EncodeToString(mac.Sum(nil)[:16])
}

// ReadKeyFile reads the personal-data key file's content: one line per key
// version, "<version> <64 hex digits>"; blank lines and lines starting with
// # are skipped. `redress` and `make bench` share the format.
func ReadKeyFile(r io.Reader) (*Keyring, error) {
	keys := map[int][]byte{}
	scanner := bufio.NewScanner(r)
	for line := 1; scanner.Scan(); line++ {
		text := strings.TrimSpace(scanner.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		versionText, keyHex, ok := strings.Cut(text, " ")
		version, verr := strconv.Atoi(versionText)
		key, kerr := hex.DecodeString(strings.TrimSpace(keyHex))
		if !ok || verr != nil || kerr != nil {
			return nil, fmt.Errorf("line %d: want \"<version> <64 hex digits>\"", line)
		}
		keys[version] = key
	}
	if err := scanner.Err(); err != nil {
		return nil, err
	}
	return NewKeyring(keys)
}
