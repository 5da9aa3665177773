package web

import (
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
)

// This file compresses answers on the way out: brotli when the browser
// accepts it, else gzip, for the text types (pages, JSON, CSS, scripts,
// SVG, CSV); files that are compressed already (XLSX, evidence) and
// answers with their own encoding pass as they are. It streams: a long
// CSV export is compressed as it is written.

// compressible reports whether a content type is worth compressing.
func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch mt {
	case "text/html", "text/css", "text/csv", "text/plain", "text/javascript", "application/javascript",
		"application/json", "image/svg+xml":
		return true
	}
	return false
}

// encodingFor picks the encoding an Accept-Encoding header allows: br,
// then gzip, else "" (q=0 refuses one).
func encodingFor(accept string) string {
	allowed := map[string]bool{}
	for _, part := range strings.Split(accept, ",") {
		name, params, _ := strings.Cut(part, ";")
		q := 1.0
		for _, param := range strings.Split(params, ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(param), "q="); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		allowed[strings.ToLower(strings.TrimSpace(name))] = q > 0
	}
	switch {
	case allowed["br"]:
		return "br"
	case allowed["gzip"]:
		return "gzip"
	}
	return ""
}

// compress wraps a handler so that its text answers are compressed.
func compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		enc := encodingFor(r.Header.Get("Accept-Encoding"))
		if enc == "" || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		cw := &compressWriter{ResponseWriter: w, encoding: enc}
		defer cw.close()
		next.ServeHTTP(cw, r)
	})
}

// compressWriter decides at the first header whether to compress.
type compressWriter struct {
	http.ResponseWriter
	encoding string
	decided  bool
	out      io.WriteCloser // nil: pass through
}

func (c *compressWriter) WriteHeader(status int) {
	if !c.decided {
		c.decide(status)
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *compressWriter) decide(status int) {
	c.decided = true
	h := c.Header()
	if status < 200 || status == http.StatusNoContent || status == http.StatusNotModified ||
		h.Get("Content-Encoding") != "" || !compressible(h.Get("Content-Type")) {
		return
	}
	h.Del("Content-Length")
	h.Set("Content-Encoding", c.encoding)
	if c.encoding == "br" {
		c.out = brotli.NewWriterLevel(c.ResponseWriter, 5)
	} else {
		c.out, _ = gzip.NewWriterLevel(c.ResponseWriter, gzip.DefaultCompression)
	}
}

func (c *compressWriter) Write(b []byte) (int, error) {
	if !c.decided {
		if c.Header().Get("Content-Type") == "" {
			c.Header().Set("Content-Type", http.DetectContentType(b))
		}
		c.WriteHeader(http.StatusOK)
	}
	if c.out == nil {
		return c.ResponseWriter.Write(b)
	}
	return c.out.Write(b)
}

// Flush sends what is compressed so far (a streaming export).
func (c *compressWriter) Flush() {
	if f, ok := c.out.(interface{ Flush() error }); ok {
		_ = f.Flush()
	}
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (c *compressWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

func (c *compressWriter) close() {
	if c.out != nil {
		_ = c.out.Close()
	}
}
