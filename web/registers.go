package web

import (
	"net/http"

	"redress"
)

// registersHubRoutes are the registers' index (网点台账): one page that leads
// to every register an outlet keeps beside its cases.
func (s *Server) registersHubRoutes() []route {
	return []route{{method: "GET", path: "/registers", access: pageAuth, handle: s.handleRegistersPage}}
}

// registerEntry is one register on the index: where it is, its name and
// what it is for (i18n keys).
type registerEntry struct {
	Path, Name, About string
}

// branchRegisters lists the registers, in the order of an outlet's day.
var branchRegisters = []registerEntry{
	{"/registers/reception", "nav.reception", "registers.about.reception"},
	{"/registers/opinion-book", "nav.opinion_book", "registers.about.opinion_book"},
	{"/registers/opinion", "nav.registers", "registers.about.opinion"},
	{"/corrective", "nav.corrective", "registers.about.corrective"},
	{"/registers/lost", "nav.lost", "registers.about.lost"},
	{"/registers/training", "nav.training", "registers.about.training"},
	{"/incidents", "nav.incidents", "registers.about.incidents"},
}

func (s *Server) handleRegistersPage(w http.ResponseWriter, r *http.Request) error {
	u, err := redress.RequireUser(r.Context())
	if err != nil {
		return err
	}
	if !u.Role.ReadsCases() {
		return redress.Reasonf(redress.EFORBIDDEN, redress.ReasonNoCaseContents, string(u.Role))
	}
	s.render(w, r, http.StatusOK, "registers", &pageData{Title: "nav.branch_registers", Data: branchRegisters})
	return nil
}
