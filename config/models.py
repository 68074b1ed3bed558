"""No models: this module exists so that ``migrate`` sends ``post_migrate`` for this app once
(``config.apps.SiteConfig`` creates the database cache tables then)."""
