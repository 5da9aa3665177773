package main

import (
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"redress"
	"strconv"
	"strings"
	"time"

	"redress/notify"
	"redress/sqldb"
)

// Config is every setting of the redress command, with defaults, filled from
// flags and REDRESS_* environment variables (flags win).
type Config struct {
	Addr          string // REDRESS_ADDR, --addr: where serve listens
	Data          string // REDRESS_DATA, --data: the data directory
	DB            string // REDRESS_DB, --db: DSN, a SQLite path or a postgres:// URL; default SQLite at <data>/redress.db
	KeyFile       string // REDRESS_KEY_FILE: the personal-data key file; default <data>/redress.key
	AdminPassword string // REDRESS_ADMIN_PASSWORD: the first admin's password on an empty database

	SweepInterval time.Duration      // REDRESS_SWEEP_INTERVAL, --sweep-interval: how often serve sweeps the deadlines; default 5m
	DueSoonDays   int                // REDRESS_DUE_SOON_DAYS, --due-soon-days: the due-soon window in working days, for the sweep and the pages; default redress.DefaultDueSoonDays
	Email         notify.EmailConfig // REDRESS_SMTP_*: e-mail notifications; off without REDRESS_SMTP_HOST
	SMS           notify.SMSConfig   // REDRESS_SMS_*: SMS notifications; off without REDRESS_SMS_URL
	// BaseURL is REDRESS_BASE_URL: the staff UI's address as users reach it
	// (https://complaints.bank.example), for the link in e-mail and SMS
	// notices; without it the link is the path alone.
	BaseURL string

	HashMemoryMiB     int // REDRESS_HASH_MEMORY, --hash-memory: MiB the password hashes running at once may take (64 MiB each); default 256
	SignInsPerAddress int // REDRESS_SIGNINS_PER_ADDRESS, --signins-per-address: sign-in attempts a minute per client address; 0 is no limit; default 30
	SignInsPerLogin   int // REDRESS_SIGNINS_PER_LOGIN, --signins-per-login: sign-in attempts a minute per login; 0 is no limit; default 10
}

func defaultConfig() Config {
	return Config{
		Addr:          envOr("REDRESS_ADDR", "127.0.0.1:8080"),
		Data:          envOr("REDRESS_DATA", "./data"),
		DB:            os.Getenv("REDRESS_DB"),
		KeyFile:       os.Getenv("REDRESS_KEY_FILE"),
		AdminPassword: os.Getenv("REDRESS_ADMIN_PASSWORD"),
		SweepInterval: 5 * time.Minute,
		DueSoonDays:   redress.DefaultDueSoonDays,

		HashMemoryMiB:     sqldb.DefaultHashMemory >> 20,
		SignInsPerAddress: redress.DefaultSignInsPerAddress,
		SignInsPerLogin:   redress.DefaultSignInsPerLogin,
	}
}

// readSignInEnv fills the sign-in limits from the environment, through
// getenv: the hash memory budget and the rates per address and per login.
func (c *Config) readSignInEnv(getenv func(string) string) error {
	for _, v := range []struct {
		name string
		dst  *int
	}{{"REDRESS_HASH_MEMORY", &c.HashMemoryMiB}, {"REDRESS_SIGNINS_PER_ADDRESS", &c.SignInsPerAddress}, {"REDRESS_SIGNINS_PER_LOGIN", &c.SignInsPerLogin}} {
		if s := strings.TrimSpace(getenv(v.name)); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				return fmt.Errorf("%s=%q: want a whole number", v.name, s)
			}
			*v.dst = n
		}
	}
	return nil
}

// checkSignIn checks the sign-in limits.
func (c *Config) checkSignIn() error {
	if c.HashMemoryMiB < sqldb.HashBytes>>20 || c.HashMemoryMiB > 64<<10 {
		return fmt.Errorf("hash memory %d MiB (REDRESS_HASH_MEMORY, --hash-memory): want %d to 65536 (one hash takes %d MiB)",
			c.HashMemoryMiB, sqldb.HashBytes>>20, sqldb.HashBytes>>20)
	}
	if c.SignInsPerAddress < 0 || c.SignInsPerLogin < 0 {
		return fmt.Errorf("sign-in limits %d per address, %d per login (REDRESS_SIGNINS_PER_ADDRESS, REDRESS_SIGNINS_PER_LOGIN): want 0 (no limit) or more attempts a minute",
			c.SignInsPerAddress, c.SignInsPerLogin)
	}
	return nil
}

// signInLimits are the configured sign-in rates, each a minute.
func (c *Config) signInLimits() *redress.SignInLimits {
	return &redress.SignInLimits{PerAddress: redress.Limit{Burst: c.SignInsPerAddress, Per: time.Minute},
		PerLogin: redress.Limit{Burst: c.SignInsPerLogin, Per: time.Minute}}
}

// readNotifyEnv fills the settings of the background jobs and the
// notification channels from the environment, through getenv: the sweep
// interval, the due-soon window, and the REDRESS_SMTP_* and REDRESS_SMS_*
// variables (notify.EmailConfigFromEnv, notify.SMSConfigFromEnv). A channel
// whose variables are absent stays off.
func (c *Config) readNotifyEnv(getenv func(string) string) error {
	if v := strings.TrimSpace(getenv("REDRESS_SWEEP_INTERVAL")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("REDRESS_SWEEP_INTERVAL=%q: want a duration such as 5m", v)
		}
		c.SweepInterval = d
	}
	if v := strings.TrimSpace(getenv("REDRESS_DUE_SOON_DAYS")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("REDRESS_DUE_SOON_DAYS=%q: want a number of working days such as 1", v)
		}
		c.DueSoonDays = n
	}
	if v := strings.TrimSpace(getenv("REDRESS_BASE_URL")); v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("REDRESS_BASE_URL=%q: want the staff UI's address such as https://complaints.bank.example", v)
		}
		c.BaseURL = strings.TrimRight(v, "/")
	}
	var err error
	if c.Email, err = notify.EmailConfigFromEnv(getenv); err != nil {
		return err
	}
	if c.SMS, err = notify.SMSConfigFromEnv(getenv); err != nil {
		return err
	}
	return nil
}

// checkJobs checks the settings of the background jobs.
func (c *Config) checkJobs() error {
	if c.SweepInterval < 10*time.Second || c.SweepInterval > 24*time.Hour {
		return fmt.Errorf("sweep interval %v (REDRESS_SWEEP_INTERVAL, --sweep-interval): want 10s to 24h", c.SweepInterval)
	}
	if c.DueSoonDays < 1 || c.DueSoonDays > 30 {
		return fmt.Errorf("due-soon window %d (REDRESS_DUE_SOON_DAYS, --due-soon-days): want 1 to 30 working days", c.DueSoonDays)
	}
	return nil
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// bindStorage adds the flags every database command shares.
func (c *Config) bindStorage(fs *flag.FlagSet) {
	fs.StringVar(&c.Data, "data", c.Data, "data directory (REDRESS_DATA)")
	fs.StringVar(&c.DB, "db", c.DB, "database DSN: a SQLite file path or a postgres:// URL (REDRESS_DB); default <data>/redress.db")
}

// resolve fills the paths that default from the data directory.
func (c *Config) resolve() {
	if c.DB == "" {
		c.DB = filepath.Join(c.Data, "redress.db")
	}
	if c.KeyFile == "" {
		c.KeyFile = filepath.Join(c.Data, "redress.key")
	}
}
