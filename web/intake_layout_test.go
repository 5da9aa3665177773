package web_test

import (
	"strings"
	"testing"
)

// TestRegistrationRendersItsChannelSections: the registration form comes
// with the sections of other channels already hidden, as app.js would hide
// them, so the page does not shift under the user's eyes when the script
// runs (Lighthouse's layout shift on a phone: 0.196 before).
func TestRegistrationRendersItsChannelSections(t *testing.T) {
	t.Parallel()
	f := newAPIWithPasswords(t)
	client := pageClientAs(t, f, "staff", browserPassword)
	counter := pageText(t, f, client, "/cases/new")
	for _, want := range []string{`data-channels="letter" hidden`, `data-channels="visit" hidden`, `data-channels="regulator" hidden`} {
		if !strings.Contains(counter, want) {
			t.Errorf("the counter's form shows %s", want)
		}
	}
	if strings.Contains(counter, `data-channels="visit counter" hidden`) {
		t.Error("the counter's form hides the identity check")
	}
	letter := pageText(t, f, client, "/cases/new?channel=letter")
	if strings.Contains(letter, `data-channels="letter" hidden`) || !strings.Contains(letter, `data-channels="visit counter" hidden`) {
		t.Error("the letter's form shows the wrong sections")
	}
}
