package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"redress"
)

// MaxBodyBytes is the largest request body accepted: 1 MiB.
const MaxBodyBytes = 1 << 20

// errorBody is the one error shape of the API.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

var statusOf = map[string]int{
	redress.EINVALID:      http.StatusBadRequest,
	redress.EUNSUPPORTED:  http.StatusUnsupportedMediaType,
	redress.EUNAUTHORIZED: http.StatusUnauthorized,
	redress.EFORBIDDEN:    http.StatusForbidden,
	redress.ENOTFOUND:     http.StatusNotFound,
	redress.ECONFLICT:     http.StatusConflict,
	redress.ETOOMANY:      http.StatusTooManyRequests,
	redress.EINTERNAL:     http.StatusInternalServerError,
}

// statusAnswer is a short answer in words: the health check, sign-out, revocation.
type statusAnswer struct {
	Status string `json:"status"`
}

// listAnswer wraps the list endpoints' items.
type listAnswer[T any] struct {
	Items []T `json:"items"`
}

// writeError answers an API request with the error shape; an unauthorized
// caller is told to send a bearer token.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if redress.ErrorCode(err) == redress.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="redress"`)
	}
	s.writeProblem(w, r, err)
}

// writeProblem answers with the error shape; an internal error is logged
// here, once, and shown to the client only as a generic message.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	code := redress.ErrorCode(err)
	if code == redress.EINTERNAL {
		s.log.ErrorContext(r.Context(), "request failed", slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.String("error", err.Error()))
	}
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	writeJSON(w, status, errorBody{Error: errorDetail{Code: code, Message: redress.ErrorMessage(err), Fields: redress.ErrorFields(err)}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v) // the client has gone if this fails; nothing left to tell it
}

// unsupportedMedia is the 415 of a body in a form the API does not read.
func unsupportedMedia(message string) error {
	return &redress.Error{Code: redress.EUNSUPPORTED, Message: message}
}

func invalid(message string, fields map[string]string) error {
	return &redress.Error{Code: redress.EINVALID, Message: message, Fields: fields}
}

// readBody reads a JSON request body of at most MaxBodyBytes. A
// Content-Type other than application/json, or one naming a charset other
// than UTF-8 (RFC 8259 §8.1), is 415.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mediaType, params, err := mime.ParseMediaType(ct)
		if err != nil || mediaType != "application/json" {
			return nil, unsupportedMedia("Content-Type must be application/json")
		}
		if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
			return nil, unsupportedMedia("a JSON body is UTF-8: Content-Type may name no other charset")
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, invalid(fmt.Sprintf("request body is larger than %d bytes (1 MiB)", MaxBodyBytes), nil)
	}
	if err != nil {
		return nil, invalid("could not read the request body", nil)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, invalid("request body is empty: send a JSON object", nil)
	}
	return body, nil
}

// readJSON reads a JSON request body (readBody) and decodes it strictly into
// dst (decodeStrict).
func readJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	return decodeStrict(body, dst)
}

// decodeStrict decodes one JSON object into dst, refusing unknown fields,
// wrong types and trailing data with a 400 that names the problem, and
// then what encoding/json lets through (checkJSON): a body that is not an
// object (null), a key given twice, a key that names a field only when
// case is ignored, and text that no engine may store.
func decodeStrict(body []byte, dst any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return invalid("unexpected data after the JSON object", nil)
	}
	var rest json.RawMessage
	if err := dec.Decode(&rest); err != io.EOF {
		return invalid("unexpected data after the JSON object", nil)
	}
	return checkJSON(body, reflect.TypeOf(dst))
}

func jsonProblem(err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return invalid(fmt.Sprintf("malformed JSON at byte %d: %s", syntax.Offset, syntax.Error()), nil)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalid("malformed JSON: the body ends too early", nil)
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return invalid("the body must be a JSON object", nil)
		}
		return invalid("invalid input", map[string]string{field: "must be " + jsonType(typeErr.Type.Kind().String())})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return invalid("invalid input", map[string]string{name: "unknown field"})
	case strings.Contains(err.Error(), "parsing time"):
		return invalid("a time is not in RFC 3339 form, e.g. 2026-11-20T09:30:00+08:00", nil)
	default:
		return invalid("invalid JSON: "+err.Error(), nil)
	}
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "int", "int64", "int32", "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "slice":
		return "an array"
	case "struct", "map":
		return "an object"
	}
	return "of another type"
}
