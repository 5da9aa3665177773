package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
)

// This file names the static files by their content: a page links
// /assets/<hash>/app.css (template func asset), which is cached for a year
// as immutable, since a new binary with another file gives it another
// hash. /static/<path> stays, cached for an hour, for links from outside.

// assetHashes maps each static file's path to the first 12 hex digits of
// the SHA-256 of its content.
func assetHashes(static fs.FS) (map[string]string, error) {
	hashes := map[string]string{}
	err := fs.WalkDir(static, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(static, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(raw)
		hashes[path] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hash static files: %w", err)
	}
	return hashes, nil
}

// assetURL is the content-named URL of a static file; a path that is not a
// static file is a template error, found when the page is rendered in tests.
func (u *ui) assetURL(path string) (string, error) {
	hash, ok := u.hashes[path]
	if !ok {
		return "", fmt.Errorf("no static file %q", path)
	}
	return "/assets/" + hash + "/" + path, nil
}

// assetRoutes serve the content-named static files (the public handler
// serves them too).
func (s *Server) assetRoutes() []route {
	return []route{{method: "GET", path: "/assets/{hash}/{path...}", access: pageOpen, handle: s.handleAsset}}
}

// handleAsset serves a static file under its current hash, cached for a
// year; another hash (a page from an older binary) is redirected to the
// current one.
func (s *Server) handleAsset(w http.ResponseWriter, r *http.Request) error {
	path := r.PathValue("path")
	hash, ok := s.ui.hashes[path]
	if !ok || strings.Contains(path, "..") {
		http.NotFound(w, r)
		return nil
	}
	if r.PathValue("hash") != hash {
		http.Redirect(w, r, "/assets/"+hash+"/"+path, http.StatusFound)
		return nil
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	r2 := r.Clone(r.Context())
	r2.URL.Path = "/static/" + path
	s.ui.static.ServeHTTP(w, r2)
	return nil
}
