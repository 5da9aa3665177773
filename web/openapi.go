package web

import (
	"maps"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"redress"
	"redress/export"
)

// The OpenAPI 3.1 document is derived from the route table and the Go types
// the handlers decode and encode, so it cannot drift from the code; a test
// checks real answers against it as well.

// enums lists the allowed values of the vocabulary's string types.
var enums = map[reflect.Type][]string{
	reflect.TypeFor[redress.Kind]():         stringsOf(redress.Kinds),
	reflect.TypeFor[redress.Channel]():      stringsOf(redress.Channels),
	reflect.TypeFor[redress.Status]():       stringsOf(redress.Statuses),
	reflect.TypeFor[redress.Role]():         stringsOf(redress.Roles),
	reflect.TypeFor[redress.OrgKind]():      stringsOf(redress.OrgKinds),
	reflect.TypeFor[redress.IDType]():       stringsOf(redress.IDTypes),
	reflect.TypeFor[redress.RiskLevel]():    stringsOf(redress.RiskLevels),
	reflect.TypeFor[redress.Priority]():     stringsOf(redress.Priorities),
	reflect.TypeFor[redress.Liability]():    stringsOf(redress.Liabilities),
	reflect.TypeFor[redress.Outcome]():      stringsOf(redress.Outcomes),
	reflect.TypeFor[redress.Remedy]():       stringsOf(redress.Remedies),
	reflect.TypeFor[redress.NoticeMethod](): stringsOf(redress.NoticeMethods),
	reflect.TypeFor[redress.Satisfaction](): stringsOf(redress.Satisfactions),
	reflect.TypeFor[redress.Dimension]():    stringsOf(redress.CodeLists),
	reflect.TypeFor[redress.Action]():       stringsOf(redress.Actions),
	reflect.TypeFor[redress.PauseCause]():   stringsOf(redress.PauseCauses),
	reflect.TypeFor[redress.Unit]():         {string(redress.UnitCalendar), string(redress.UnitWorking)},

	// regulator.go
	reflect.TypeFor[redress.RegulatorSource]():  stringsOf(redress.RegulatorSources),
	reflect.TypeFor[redress.RegulatorFinding](): stringsOf(redress.RegulatorFindings),
}

func stringsOf[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}

type object = map[string]any

// openAPI builds the document from the API operations of the route table.
// Request bodies are described first, so that a type both sent and
// answered keeps the schema of what a client sends (no required
// properties); the schemas of answers list as required every property the
// server always writes (responseMode).
func (s *Server) openAPI() object {
	schemas := object{}
	gen := &schemaGen{schemas: schemas}
	for _, rt := range s.routes {
		if rt.api() && rt.body != nil {
			gen.ref(reflect.TypeOf(rt.body))
		}
	}
	gen.response = true
	errorRef := gen.ref(reflect.TypeFor[errorBody]())
	paths := object{}
	tags := map[string]bool{}
	pathParam := regexp.MustCompile(`\{(\w+)\}`)
	for _, rt := range slices.Concat(s.routes, s.portal) { // the portal's API is on the public handler
		if !rt.api() {
			continue // a page or a file: not part of the API
		}
		tag := operationTag(rt.path)
		tags[tag] = true
		op := object{"summary": rt.summary, "description": rt.summary + ". " + accessText(rt.access), "tags": []any{tag},
			"operationId": strings.ToLower(rt.method) + strings.NewReplacer("/", "_", "{", "", "}", "", ".", "_").Replace(rt.path)}
		params := []any{}
		for _, m := range pathParam.FindAllStringSubmatch(rt.path, -1) {
			p := object{"name": m[1], "in": "path", "required": true, "schema": object{"type": "string"}}
			if m[1] == "action" {
				p["schema"] = object{"type": "string", "enum": redress.CaseActions()}
			}
			params = append(params, p)
		}
		exports := false
		for _, q := range rt.query {
			params = append(params, queryParam(q, rt.schemas[q.name]))
			exports = exports || q.name == "format"
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if rt.body != nil {
			op["requestBody"] = object{"required": true, "content": object{"application/json": object{"schema": gen.ref(reflect.TypeOf(rt.body))}}}
		}
		if rt.multipart {
			op["requestBody"] = object{"required": true, "content": object{"multipart/form-data": object{"schema": object{
				"type": "object", "required": []any{"file"},
				"properties": object{"file": object{"type": "string", "format": "binary"}, "note": object{"type": "string"},
					"kind": object{"type": "string", "enum": stringsOf(redress.EvidenceKinds)}}}}}}
		}
		status := rt.status
		if status == 0 {
			status = http.StatusOK
		}
		responses := object{}
		body := object{}
		binary := object{"schema": object{"type": "string", "format": "binary"}}
		switch {
		case rt.out == nil && len(rt.files) == 0:
			body["application/octet-stream"] = binary
		case rt.out == nil:
			for _, ct := range rt.files {
				body[ct] = binary
			}
		default:
			body["application/json"] = object{"schema": gen.ref(reflect.TypeOf(rt.out))}
		}
		if exports {
			for _, f := range []export.Format{export.CSV, export.XLSX} {
				ct, _, _ := strings.Cut(f.ContentType(), ";")
				body[ct] = binary
			}
		}
		responses[strconv.Itoa(status)] = object{"description": http.StatusText(status), "content": body}
		errorAnswer := object{"application/json": object{"schema": errorRef}}
		responses["4XX"] = object{"description": "Refused: 400 invalid (the error names each field), 401 unauthorized, 403 forbidden, 404 not_found, 409 conflict, 413 too large, 415 unsupported_media_type, 429 too_many_requests (with Retry-After)",
			"content": errorAnswer}
		responses["default"] = object{"description": "500 internal, 503 unavailable", "content": errorAnswer}
		op["responses"] = responses
		switch rt.access {
		case apiPublic, portalPublic:
			op["security"] = []any{}
		case portalCustomer:
			op["security"] = []any{object{"portal": []any{}}}
		}
		item, _ := paths[rt.path].(object)
		if item == nil {
			item = object{}
			paths[rt.path] = item
		}
		item[strings.ToLower(rt.method)] = op
	}
	tagList := []any{}
	for _, tag := range slices.Sorted(maps.Keys(tags)) {
		about := "The operations under /api/v1/" + tag
		if tag == "server" {
			about = "The server itself: its health and its metrics"
		}
		tagList = append(tagList, object{"name": tag, "description": about})
	}
	return object{
		"openapi": "3.1.0",
		"info": object{"title": "Redress API", "version": "1",
			"description": "Complaint and petition case management for banks. JSON in UTF-8; cases are addressed by tracking number. Personal data is always masked.",
			"license":     object{"name": "Proprietary: the bank's own deployment", "identifier": "LicenseRef-Proprietary"},
			"contact":     object{"name": "The bank's Redress administrators"}},
		"servers":  []any{object{"url": "/", "description": "The server that serves this document"}},
		"tags":     tagList,
		"paths":    paths,
		"security": []any{object{"bearer": []any{}}},
		"components": object{"schemas": schemas, "securitySchemes": object{"bearer": object{"type": "http", "scheme": "bearer"},
			"portal": object{"type": "apiKey", "in": "cookie", "name": PortalCookie,
				"description": "The customer portal's session (public handler, --portal-addr): set by POST /api/v1/public/track, one case, 20 minutes"}}},
	}
}

// operationTag groups an operation by the first segment of its path after
// /api/v1/ (cases, users, stats, …); /healthz and /metrics are "server".
func operationTag(path string) string {
	rest, ok := strings.CutPrefix(path, "/api/v1/")
	if !ok {
		return "server"
	}
	tag, _, _ := strings.Cut(rest, "/")
	return strings.TrimSuffix(tag, ".json")
}

// accessText says who may call an operation.
func accessText(a access) string {
	if a == apiPublic {
		return "Needs no caller."
	}
	return "Needs a bearer token or a staff session; the service checks the caller's role and scope."
}

// queryParam describes a query parameter: its type and doc, with what the
// route says of it beyond its type (route.schemas): "required" is a
// property of the parameter, the rest of its schema.
func queryParam(q param, more object) object {
	schema := object{"type": q.typ}
	required := false
	for k, v := range more {
		if k == "required" {
			required = v == true
			continue
		}
		schema[k] = v
	}
	return object{"name": q.name, "in": "query", "description": q.doc, "required": required, "schema": schema}
}

// schemaGen turns Go types into JSON Schema, named structs into components.
// In response mode a struct's schema lists as required the properties that
// are always written: those not omitempty, and not pointers (written as
// null); a schema first made for a request keeps none.
type schemaGen struct {
	schemas  object
	response bool
}

var (
	timeType = reflect.TypeFor[time.Time]()
	dateType = reflect.TypeFor[redress.Date]()
)

func (g *schemaGen) ref(t reflect.Type) object {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Map {
		return object{"type": "object"}
	}
	name := schemaName(t)
	if _, done := g.schemas[name]; !done {
		g.schemas[name] = object{} // placeholder against recursion
		g.schemas[name] = g.structSchema(t)
	}
	return object{"$ref": "#/components/schemas/" + name}
}

// schemaName names a component: the type's own name, with a generic list
// wrapper named after its item ("EventList").
func schemaName(t reflect.Type) string {
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 {
		inner := name[i+1 : len(name)-1]
		inner = inner[strings.LastIndexAny(inner, ".*")+1:]
		return strings.ToUpper(inner[:1]) + inner[1:] + "List"
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

func (g *schemaGen) structSchema(t reflect.Type) object {
	props := object{}
	var required []any
	g.addFields(t, props, &required)
	out := object{"type": "object", "properties": props, "additionalProperties": false}
	if g.response && len(required) > 0 {
		out["required"] = required
	}
	return out
}

func (g *schemaGen) addFields(t reflect.Type, props object, required *[]any) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if f.Anonymous && tag == "" {
			g.addFields(f.Type, props, required)
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = g.schema(f.Type)
		if !slices.Contains(strings.Split(opts, ","), "omitempty") && f.Type.Kind() != reflect.Pointer {
			*required = append(*required, name)
		}
	}
}

func (g *schemaGen) schema(t reflect.Type) object {
	if values, ok := enums[t]; ok {
		return object{"type": "string", "enum": values}
	}
	if t == timeType {
		return object{"type": "string", "format": "date-time"}
	}
	if t == dateType {
		return object{"type": "string", "format": "date"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.schema(t.Elem())
	case reflect.String:
		return object{"type": "string"}
	case reflect.Bool:
		return object{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32:
		return object{"type": "integer"}
	case reflect.Slice:
		return object{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return object{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Struct:
		return g.ref(t)
	}
	return object{}
}

// openAPIRoutes serves the document.
func (s *Server) openAPIRoutes() []route {
	return []route{
		{method: "GET", path: "/api/v1/openapi.json", summary: "This OpenAPI document", access: apiPublic,
			out: map[string]any{}, handle: s.handleOpenAPI},
	}
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.openAPI())
	return nil
}
