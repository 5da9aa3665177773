package web

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"unicode/utf8"

	"redress"
)

// checkJSON walks the JSON value of body, already decoded into a value of
// type t, for what encoding/json accepts and the API does not: a top-level
// value that is not an object (null decodes into anything), a key given
// twice in one object (the last would win silently), a key that matches a
// field only when case is ignored ("Login" for "login"), and a string (key
// or value) that is not UTF-8 as sent or holds a NUL (encoding/json would
// replace the bad bytes, or pass the NUL through to the database). The
// error names the field by its dotted path.
func checkJSON(body []byte, t reflect.Type) error {
	first := bytes.TrimLeft(body, " \t\r\n")
	if len(first) == 0 || first[0] != '{' {
		return invalid("the body must be a JSON object", nil)
	}
	w := &jsonWalk{dec: json.NewDecoder(bytes.NewReader(body)), body: body}
	w.dec.UseNumber()
	return w.value(t, "")
}

// jsonWalk reads the tokens of a body that encoding/json has decoded, so
// a syntax error cannot happen here; one is answered as malformed all the same.
type jsonWalk struct {
	dec  *json.Decoder
	body []byte
	off  int64 // where the last token ended
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
var jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()

// token reads the next token and checks its text, naming path.
func (w *jsonWalk) token(path string) (json.Token, error) {
	tok, raw, err := w.read()
	if err != nil {
		return nil, err
	}
	if path == "" {
		path = "body"
	}
	return tok, checkToken(path, tok, raw)
}

// read reads the next token and the bytes it was read from.
func (w *jsonWalk) read() (json.Token, []byte, error) {
	tok, err := w.dec.Token()
	if err != nil {
		return nil, nil, invalid("malformed JSON: "+err.Error(), nil)
	}
	raw := w.body[w.off:w.dec.InputOffset()]
	w.off = w.dec.InputOffset()
	return tok, raw, nil
}

// checkToken refuses a string token whose bytes as sent are not UTF-8 or
// whose text holds a NUL, naming field.
func checkToken(field string, tok json.Token, raw []byte) error {
	s, ok := tok.(string)
	if !ok {
		return nil
	}
	if !utf8.Valid(raw) {
		return textProblem(fieldName(field), redress.ProblemNotUTF8)
	}
	if key := redress.StorableTextProblem(s); key != "" {
		return textProblem(fieldName(field), key)
	}
	return nil
}

// value checks one value decoded into type t (nil: any, as for an
// interface, json.RawMessage or a type that decodes itself).
func (w *jsonWalk) value(t reflect.Type, path string) error {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t != nil && (reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler)) {
		t = nil
	}
	tok, err := w.token(path)
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		return w.object(t, path)
	case json.Delim('['):
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			elem = t.Elem()
		}
		for w.dec.More() {
			if err := w.value(elem, path); err != nil {
				return err
			}
		}
		_, err := w.token(path) // ]
		return err
	}
	return nil
}

// object checks the members of an object up to its closing brace.
func (w *jsonWalk) object(t reflect.Type, path string) error {
	var fields map[string]reflect.Type
	var elem reflect.Type
	switch {
	case t != nil && t.Kind() == reflect.Struct:
		fields = jsonFields(t, map[string]reflect.Type{})
	case t != nil && t.Kind() == reflect.Map:
		elem = t.Elem()
	}
	seen := map[string]bool{}
	for w.dec.More() {
		tok, raw, err := w.read()
		if err != nil {
			return err
		}
		key, ok := tok.(string)
		if !ok {
			return invalid("malformed JSON: an object key is not a string", nil)
		}
		field := key
		if path != "" {
			field = path + "." + key
		}
		if err := checkToken(field, tok, raw); err != nil {
			return err
		}
		if seen[key] {
			return invalid("invalid input", map[string]string{field: "given twice"})
		}
		seen[key] = true
		vt := elem
		if fields != nil {
			ft, ok := fields[key]
			if !ok {
				return invalid("invalid input", map[string]string{field: unknownField(fields, key)})
			}
			vt = ft
		}
		if err := w.value(vt, field); err != nil {
			return err
		}
	}
	_, err := w.token(path) // }
	return err
}

// unknownField says why key names no field, pointing to the one it
// matches when case is ignored.
func unknownField(fields map[string]reflect.Type, key string) string {
	for name := range fields {
		if strings.EqualFold(name, key) {
			return "unknown field: the field is " + name + " (names are case-sensitive)"
		}
	}
	return "unknown field"
}

// jsonFields adds to fields the JSON names of the exported fields of the
// struct type t with the types they decode into, flattening embedded
// structs without a name of their own as encoding/json does (a field of
// the outer struct hides an embedded one of the same name).
func jsonFields(t reflect.Type, fields map[string]reflect.Type) map[string]reflect.Type {
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				embedded = append(embedded, ft)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, taken := fields[name]; !taken {
			fields[name] = ft
		}
	}
	for _, et := range embedded {
		for name, ft := range jsonFields(et, map[string]reflect.Type{}) {
			if _, taken := fields[name]; !taken {
				fields[name] = ft
			}
		}
	}
	return fields
}

func textProblem(field, key string) error {
	var p redress.Problems
	p.AddKey(field, key)
	return p.Err()
}
