"""Webhooks: subscriptions (:mod:`.subscriptions`), events recorded in the transaction of
the change they announce (:mod:`.events`), and their signed delivery (:mod:`.delivery`)."""
