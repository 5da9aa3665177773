package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"redress"
	"redress/demo"
	"redress/sqldb"
)

// demoSeed makes every demo load the same bank.
const demoSeed = 2026

// cmdDemo loads the demo bank into the database, once: when it is already
// there, it says so and changes nothing.
func cmdDemo(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	cfg.bindStorage(fs)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	cfg.resolve()
	db, err := openDB(ctx, cfg, newLogger(stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	setClock := func(t time.Time) { db.Now = func() time.Time { return t } }
	defer func() { db.Now = time.Now }()
	setClock(demo.Epoch(start))
	err = bootstrap(ctx, db, cfg, stdout)
	db.Now = time.Now
	if err != nil {
		return err
	}
	svc := demo.Services{Orgs: sqldb.NewOrgService(db), Users: sqldb.NewUserService(db), Cases: sqldb.NewCaseService(db)}
	// The CLI acts as the operator: an admin, which is all that listing
	// units and users checks.
	operator := redress.WithUser(ctx, &redress.User{Login: "admin", Role: redress.RoleAdmin})
	loaded, err := demoLoaded(operator, svc.Orgs)
	if err != nil {
		return err
	}
	if loaded { // say again who can sign in: a second make run is how a newcomer comes back
		logins, err := demoLogins(operator, svc)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, "The demo bank is already loaded; its users:")
		printDemoLogins(stdout, logins, demo.Password)
		return nil
	}
	admin, err := findAdmin(operator, svc.Users)
	if err != nil {
		return err
	}
	summary, err := demo.Load(ctx, svc, admin, setClock, start, demoSeed)
	db.Now = time.Now
	if err != nil {
		return err
	}
	printDemoSummary(stdout, summary, time.Since(start))
	return nil
}

// bootstrap prepares an empty database, as serve does, and prints the admin
// password it generated, if any. The demo calls it with the store's clock
// at the start of the demo's history, so the audit trail reads in time order.
func bootstrap(ctx context.Context, db *sqldb.DB, cfg Config, stdout io.Writer) error {
	password, err := db.Bootstrap(ctx, cfg.AdminPassword)
	if err != nil {
		return err
	}
	if password != "" && cfg.AdminPassword == "" {
		fmt.Fprintf(stdout, "Created user admin with password %s (shown once; change it after signing in)\n", password)
	}
	return nil
}

// demoLoaded reports whether the demo bank's marker unit exists.
func demoLoaded(ctx context.Context, orgs redress.OrgService) (bool, error) {
	units, err := orgs.ListOrgs(ctx)
	if err != nil {
		return false, err
	}
	for _, u := range units {
		if u.Code == demo.Marker {
			return true, nil
		}
	}
	return false, nil
}

// findAdmin returns the bootstrap admin as stored, to act as in the demo.
func findAdmin(ctx context.Context, users redress.UserService) (*redress.User, error) {
	admins, err := users.ListUsers(ctx, redress.UserFilter{Role: redress.RoleAdmin})
	if err != nil {
		return nil, err
	}
	for _, u := range admins {
		if u.Login == "admin" {
			return u, nil
		}
	}
	if len(admins) > 0 {
		return admins[0], nil
	}
	return nil, errors.New("demo: no admin user to load the demo bank as")
}

func printDemoSummary(w io.Writer, s *demo.Summary, took time.Duration) {
	fmt.Fprintf(w, "Loaded the demo bank in %s: %d org units, %d users, %d cases.\n",
		took.Round(100*time.Millisecond), s.Orgs, s.Users, s.Cases)
	fmt.Fprint(w, "Cases by status:")
	for _, st := range redress.Statuses {
		fmt.Fprintf(w, " %s %d", st, s.ByStatus[st])
	}
	fmt.Fprint(w, "\nCases by level:")
	for level := 1; level <= 4; level++ {
		fmt.Fprintf(w, " %d: %d", level, s.ByLevel[level])
	}
	fmt.Fprintf(w, "\nOverdue: %d open past the decision deadline. Resolved on the spot: %d. Reopened: %d.\n\n",
		s.Overdue, s.OnSpot, s.Reopened)
	printDemoLogins(w, s.Logins, s.Password)
}

// printDemoLogins prints who can sign in to the demo bank and how.
func printDemoLogins(w io.Writer, logins []demo.Login, password string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LOGIN\tROLE\tUNIT\tNAME")
	for _, l := range logins {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s (%s)\n", l.Login, l.Role, l.Org, l.Name, l.OrgName)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nEvery demo user's password is %s. To get an API token for one, run:\n", password)
	fmt.Fprintln(w, "  redress token create --login <login>")
	fmt.Fprintln(w, "with the same --data or --db as this command.")
}

// demoLogins lists the demo bank's users as stored (the admin aside), with
// their units' names.
func demoLogins(ctx context.Context, svc demo.Services) ([]demo.Login, error) {
	units, err := svc.Orgs.ListOrgs(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, u := range units {
		names[u.Code] = u.Name
	}
	users, err := svc.Users.ListUsers(ctx, redress.UserFilter{})
	if err != nil {
		return nil, err
	}
	var out []demo.Login
	for _, u := range users {
		if u.Role != redress.RoleAdmin && !u.Disabled {
			out = append(out, demo.Login{Login: u.Login, Name: u.Name, Role: u.Role, Org: u.OrgCode, OrgName: names[u.OrgCode]})
		}
	}
	return out, nil
}
