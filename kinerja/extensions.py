"""Extensions, created unbound and bound to an app in :func:`kinerja.app.create_app`.

``db.Model`` is Flask-AppBuilder's declarative base, so FAB's ``ab_*`` tables and ours share
one MetaData: foreign keys to ``ab_user`` resolve and Alembic sees everything. The AppBuilder
itself is created per app inside ``create_app`` (a shared one would skip views on a second app).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_appbuilder import Model
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

Model.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(model_class=Model)

if TYPE_CHECKING:  # FAB ships no type information: its base is Any to mypy, as it should be
    BaseModel = Model
else:
    BaseModel = db.Model
migrate = Migrate(render_as_batch=True, compare_type=True)
mail = Mail()
csrf = CSRFProtect()
talisman = Talisman()
