package redress

import "context"

type userKey struct{}

// WithUser returns a context carrying the acting user. Services read it to
// authorise every call.
func WithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom returns the acting user of ctx, or nil.
func UserFrom(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}

// RequireUser returns the acting user or an EUNAUTHORIZED error.
func RequireUser(ctx context.Context) (*User, error) {
	u := UserFrom(ctx)
	if u == nil {
		return nil, Errorf(EUNAUTHORIZED, "sign in or send an API token")
	}
	return u, nil
}
