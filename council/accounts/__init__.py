"""The portal's accounts (a part of the council app, like `dx` and `meetings`): staff create, change,
deactivate and unlock the accounts of their prefecture in the scoped user admin or from a sheet;
each new account is invited by mail to set its own password; everyone changes and resets their
password through Django's views under /accounts/. Mail goes through `council.mail.deliver`."""
