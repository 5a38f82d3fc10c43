"""Forms, one module per area (the same names as views/, services/, selectors/).

Forms validate what people type; the services decide and write. A service's
ValidationError comes back onto the form with `errors.add_service_error`.
"""
