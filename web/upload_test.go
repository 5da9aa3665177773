package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"redress"
)

// uploadRequest is a multipart upload of content as the part "file".
func uploadRequest(t *testing.T, ctx context.Context, content []byte) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile("file", "凭证.pdf")
	if err != nil {
		t.Fatal(err)
	}
	part.Write(content)
	mw.WriteField("note", "柜面补交")
	mw.Close()
	r := httptest.NewRequestWithContext(ctx, "POST", "/api/v1/cases/TS20261120-00001/evidence", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return r
}

// TestUploadsHeldInMemoryAreBounded_Issue11Item1: an upload is held in
// memory, not spooled to disk, so the uploads held at once are bounded:
// while maxUploads are held, a further one waits, for as long as its request
// lasts; once one is released, the next is read.
func TestUploadsHeldInMemoryAreBounded_Issue11Item1(t *testing.T) {
	t.Parallel()
	s := &Server{uploads: make(chan struct{}, maxUploads)}
	var releases []func()
	for i := range maxUploads {
		n, release, err := s.evidenceFromRequest(httptest.NewRecorder(), uploadRequest(t, context.Background(), []byte{byte(i)}), "file")
		if err != nil || n == nil || n.Note != "柜面补交" || n.Name != "凭证.pdf" {
			t.Fatalf("upload %d: %+v %v", i, n, err)
		}
		releases = append(releases, release)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, release, err := s.evidenceFromRequest(httptest.NewRecorder(), uploadRequest(t, ctx, []byte("x")), "file")
	release()
	if redress.ErrorCode(err) != redress.EINVALID || ctx.Err() == nil {
		t.Fatalf("an upload beyond %d was read while they were held: %v", maxUploads, err)
	}
	releases[0]()
	releases[0]() // releasing twice frees one slot only
	n, release, err := s.evidenceFromRequest(httptest.NewRecorder(), uploadRequest(t, context.Background(), []byte("y")), "file")
	defer release()
	if err != nil || n == nil {
		t.Fatalf("an upload once a slot was free: %v", err)
	}
	if len(s.uploads) != maxUploads {
		t.Fatalf("%d slots held, want %d", len(s.uploads), maxUploads)
	}
	for _, release := range releases[1:] {
		release()
	}
}
