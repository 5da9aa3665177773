package web

import (
	"compress/gzip"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"

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

// compressors keeps the gzip and brotli writers of finished answers for the
// next ones: a new writer allocates its tables (about 800 KB for gzip), which
// cost more than compressing a page or a JSON answer.
type compressors struct {
	gzip, brotli sync.Pool
}

func newCompressors() *compressors {
	return &compressors{
		gzip: sync.Pool{New: func() any {
			w, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression) // the level is valid
			return w
		}},
		brotli: sync.Pool{New: func() any { return brotli.NewWriterLevel(io.Discard, 5) }},
	}
}

// compress wraps a handler so that its text answers are compressed, with
// the writers of z.
func (z *compressors) compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		enc := encodingFor(r.Header.Get("Accept-Encoding"))
		if enc == "" || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		cw := &compressWriter{ResponseWriter: w, encoding: enc, pools: z}
		defer cw.close()
		next.ServeHTTP(cw, r)
	})
}

// compressWriter decides at the first header whether to compress.
type compressWriter struct {
	http.ResponseWriter
	encoding string
	pools    *compressors
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
		bw := c.pools.brotli.Get().(*brotli.Writer)
		bw.Reset(c.ResponseWriter)
		c.out = bw
	} else {
		gw := c.pools.gzip.Get().(*gzip.Writer)
		gw.Reset(c.ResponseWriter)
		c.out = gw
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

// close ends the compressed stream and gives its writer back to the pool.
func (c *compressWriter) close() {
	if c.out == nil {
		return
	}
	_ = c.out.Close()
	switch w := c.out.(type) {
	case *gzip.Writer:
		w.Reset(io.Discard) // holds no reference to the answer
		c.pools.gzip.Put(w)
	case *brotli.Writer:
		w.Reset(io.Discard)
		c.pools.brotli.Put(w)
	}
	c.out = nil
}
