package main

import (
	"flag"
	"os"
	"path/filepath"
)

// Config is every setting of the redress command, with defaults, filled from
// flags and REDRESS_* environment variables (flags win).
type Config struct {
	Addr          string // REDRESS_ADDR, --addr: where serve listens
	Data          string // REDRESS_DATA, --data: the data directory
	DB            string // REDRESS_DB, --db: DSN; default SQLite at <data>/redress.db
	KeyFile       string // REDRESS_KEY_FILE: the personal-data key file; default <data>/redress.key
	AdminPassword string // REDRESS_ADMIN_PASSWORD: the first admin's password on an empty database
}

func defaultConfig() Config {
	return Config{
		Addr:          envOr("REDRESS_ADDR", "127.0.0.1:8080"),
		Data:          envOr("REDRESS_DATA", "./data"),
		DB:            os.Getenv("REDRESS_DB"),
		KeyFile:       os.Getenv("REDRESS_KEY_FILE"),
		AdminPassword: os.Getenv("REDRESS_ADMIN_PASSWORD"),
	}
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
	fs.StringVar(&c.DB, "db", c.DB, "database DSN: a SQLite file path (REDRESS_DB); default <data>/redress.db")
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
