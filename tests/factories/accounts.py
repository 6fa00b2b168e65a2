"""Factories for Users and Addresses."""
import factory
from werkzeug.security import generate_password_hash

from marketplace.accounts.models import Address, Role, User

from .base import ModelFactory

#: Hashing is deliberately slow; tests share one precomputed hash of "motdepasse-solide".
TEST_PASSWORD = "motdepasse-solide"
_TEST_PASSWORD_HASH = generate_password_hash(TEST_PASSWORD)


class UserFactory(ModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"client{n}@example.fr")
    full_name = factory.Faker("name", locale="fr_FR")
    password_hash = _TEST_PASSWORD_HASH
    role = Role.CUSTOMER


class AdminFactory(UserFactory):
    role = Role.ADMIN


class AddressFactory(ModelFactory):
    class Meta:
        model = Address

    user = factory.SubFactory(UserFactory)
    label = "Maison"
    full_name = factory.LazyAttribute(lambda a: a.user.full_name)
    line1 = "12 rue Villegoudou"
    postcode = "81100"
    city = "Castres"
    country = "FR"
