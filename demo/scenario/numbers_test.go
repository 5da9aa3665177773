package scenario

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// Known-valid numbers, their check characters worked out by hand from the
// standards' algorithms.
var (
	// GB 11643-1999's own examples.
	validResidentIDs = []string{"11010519491231002X", "440524188001010014"}
	// The Luhn example of ISO/IEC 7812, a common test card, and a 19-digit
	// UnionPay payload of zeros (its check digit is 0).
	validCards = []string{"79927398713", "4111111111111111", "6222020000000000000"}
	// Organisation codes (GB 11714) without their hyphen, one with X.
	validOrgCodes = []string{"708461136", "71526726X", "123456788"}
	// Unified social credit codes of two Shenzhen companies (GB 32100),
	// whose organisation codes are the first two above.
	validCreditCodes = []string{"91440300708461136T", "9144030071526726XG"}
)

func TestCheckCharactersOfKnownNumbers(t *testing.T) {
	for _, c := range []struct {
		name   string
		check  func(string) byte
		valid  []string
		length int
	}{
		{"resident ID", residentIDCheck, validResidentIDs, 18},
		{"card", luhnCheck, validCards, 0},
		{"organisation code", orgCodeCheck, validOrgCodes, 9},
		{"credit code", creditCodeCheck, validCreditCodes, 18},
	} {
		for _, number := range c.valid {
			if c.length != 0 && len(number) != c.length {
				t.Fatalf("%s %s: %d characters, want %d", c.name, number, len(number), c.length)
			}
			body, want := number[:len(number)-1], number[len(number)-1]
			if got := c.check(body); got != want {
				t.Errorf("%s %s: check character %c, want %c", c.name, number, got, want)
			}
			// Each of these checks catches any single wrong digit.
			for i := range len(body) {
				if body[i] < '0' || body[i] > '9' {
					continue
				}
				wrong := []byte(body)
				wrong[i] = '0' + (body[i]-'0'+1)%10
				if c.check(string(wrong)) == want {
					t.Errorf("%s %s: digit %d changed to %c keeps the check character", c.name, number, i+1, wrong[i])
				}
			}
		}
	}
}

func TestGeneratedNumbersCarryTheirCheckCharacters(t *testing.T) {
	r := NewRand(rand.NewPCG(1, 2))
	areas := areaCodes["BJ"]
	for range 2000 {
		id := r.ResidentID(areas)
		if len(id) != 18 || !strings.HasPrefix(id, "110") || id[17] != residentIDCheck(id[:17]) {
			t.Fatalf("resident ID %s", id)
		}
		if year := id[6:10]; year < "1950" || year > "2004" {
			t.Fatalf("resident ID %s: born %s", id, year)
		}
		card := r.CardNumber()
		if n := len(card); n != 16 && n != 19 || card[n-1] != luhnCheck(card[:n-1]) {
			t.Fatalf("card %s", card)
		}
		code := r.CreditCode(areas)
		if len(code) != 18 || !strings.HasPrefix(code, "91110") || code[16] != orgCodeCheck(code[8:16]) ||
			code[17] != creditCodeCheck(code[:17]) {
			t.Fatalf("credit code %s", code)
		}
	}
}
