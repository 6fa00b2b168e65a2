"""Creates the demo hub."""


def seed_demo_hub() -> bool:
    return False
