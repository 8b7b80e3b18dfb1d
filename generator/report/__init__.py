"""County reports that travel: a county's figures exported as a checked bundle, imported by a
city or province site and shown alongside its ledger counties (see report.bundle)."""
