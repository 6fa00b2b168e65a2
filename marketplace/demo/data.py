"""The demo hub's content: the cooperative's Vendors, Categories, Products and accounts.

Everything here is plain data, written the way the hub would describe itself; `seed.py` turns
it into rows and `pictures.py` draws what the Products look like.
"""

from dataclasses import dataclass
from typing import NamedTuple

Colour = tuple[int, int, int]

TEXTILE_VAT_BPS = 2000
FOOD_VAT_BPS = 550

ADULT_SIZES = ("XS", "S", "M", "L", "XL")
SOCK_SIZES = ("36-38", "39-41", "42-44", "45-46")
BELT_SIZES = ("85 cm", "90 cm", "95 cm", "100 cm", "105 cm")

#: The colour names customers choose from, and how the pictures paint them.
COLOURS: dict[str, Colour] = {
    "Écru": (232, 224, 204),
    "Naturel": (214, 202, 178),
    "Blanc": (242, 240, 234),
    "Gris chiné": (150, 150, 146),
    "Gris perle": (198, 198, 194),
    "Anthracite": (70, 72, 78),
    "Noir": (40, 38, 38),
    "Marine": (36, 52, 90),
    "Bleu ardoise": (88, 108, 132),
    "Indigo": (52, 66, 112),
    "Vert sapin": (46, 86, 64),
    "Sauge": (150, 166, 138),
    "Kaki": (110, 112, 72),
    "Moutarde": (200, 150, 44),
    "Ocre": (196, 140, 62),
    "Rouge garance": (162, 52, 46),
    "Bordeaux": (112, 36, 52),
    "Terracotta": (190, 102, 72),
    "Rose poudré": (222, 182, 176),
    "Prune": (98, 52, 82),
    "Camel": (184, 134, 86),
    "Cognac": (150, 86, 42),
    "Havane": (100, 62, 42),
}


class Look(NamedTuple):
    """How a Product is drawn: a motif from `pictures.MOTIFS`, its cloth or variant, colours."""

    motif: str
    cloth: str = ""
    colour: Colour | None = None  # textiles take the colour of their first Variant
    accent: Colour | None = None


class Unit(NamedTuple):
    """A food Variant: the unit as sold, its price (VAT included) and shipping weight."""

    label: str
    price_cents: int
    weight_grams: int


#: Stock situations the demo shows on purpose (everything else is comfortably in stock).
IN_STOCK, LOW_STOCK, SOLD_OUT = "in_stock", "low_stock", "sold_out"


@dataclass(frozen=True)
class ProductSpec:
    name: str
    category: str
    summary: str
    look: Look
    price_cents: int = 0  # textiles: every size and colour sells at this price
    colours: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    units: tuple[Unit, ...] = ()
    weight_grams: int = 0
    details: str = ""
    stock: str = IN_STOCK


@dataclass(frozen=True)
class VendorSpec:
    slug: str
    name: str
    kind: str
    tagline: str
    story: str
    town: str
    workshop: str  # where the goods are made, shown as the Products' origin
    making: str  # how they work, closing every Product description
    siret: str
    vat_number: str
    commission_rate_bps: int
    shipping_flat_cents: int
    free_shipping_threshold_cents: int
    contact_email: str
    sku_prefix: str
    logo_colour: Colour
    products: tuple[ProductSpec, ...]
    featured: bool = False
    at_hub: bool = False


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    name: str
    name_en: str
    description: str = ""
    parent: str | None = None


CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(
        "textile",
        "Textile",
        "Textiles",
        "Laine de Mazamet, lin, cuir de Graulhet : le savoir-faire textile du Tarn.",
    ),
    CategorySpec("pulls-gilets", "Pulls & gilets", "Jumpers & cardigans", parent="textile"),
    CategorySpec("echarpes-bonnets", "Écharpes & bonnets", "Scarves & hats", parent="textile"),
    CategorySpec("chaussettes", "Chaussettes", "Socks", parent="textile"),
    CategorySpec("vetements", "Vêtements", "Clothing", parent="textile"),
    CategorySpec("linge-de-maison", "Linge de maison", "Household linen", parent="textile"),
    CategorySpec("accessoires-cuir", "Accessoires cuir", "Leather goods", parent="textile"),
    CategorySpec("laine-a-tricoter", "Laine à tricoter", "Knitting yarn", parent="textile"),
    CategorySpec(
        "epicerie",
        "Épicerie",
        "Food",
        "Fermes et artisans du Tarn, en circuit court jusqu'au magasin des Ateliers.",
    ),
    CategorySpec("fromages", "Fromages", "Cheese", parent="epicerie"),
    CategorySpec("charcuterie", "Charcuterie", "Charcuterie", parent="epicerie"),
    CategorySpec("miel-confitures", "Miel & confitures", "Honey & jams", parent="epicerie"),
    CategorySpec("legumes", "Légumes", "Vegetables", parent="epicerie"),
    CategorySpec(
        "pain-viennoiseries", "Pain & viennoiseries", "Bread & pastries", parent="epicerie"
    ),
    CategorySpec(
        "biscuits-douceurs", "Biscuits & douceurs", "Biscuits & sweets", parent="epicerie"
    ),
    CategorySpec("ail-condiments", "Ail & condiments", "Garlic & condiments", parent="epicerie"),
)
#: The two top-level families and their VAT: textiles at 20 %, food at 5.5 %.
FAMILY_VAT_BPS = {"textile": TEXTILE_VAT_BPS, "epicerie": FOOD_VAT_BPS}
#: The care or keeping advice that closes each Product description of a Category.
CATEGORY_NOTES = {
    "pulls-gilets": (
        "Lavage à la main ou en machine au programme laine, à 30 °C, puis séchage à plat : "
        "la laine garde sa forme pendant des années."
    ),
    "echarpes-bonnets": (
        "Un lavage à la main à l'eau tiède une ou deux fois par hiver suffit : la laine se "
        "nettoie en s'aérant."
    ),
    "chaussettes": "Lavage en machine à 30 °C, sur l'envers, sans sèche-linge.",
    "vetements": "Lavage en machine à 30 °C ; les coutures sont surjetées pour durer.",
    "linge-de-maison": "Lavable en machine à 40 °C ; le tissu s'assouplit au fil des lavages.",
    "accessoires-cuir": (
        "Un peu de cirage neutre de temps en temps nourrit le cuir, qui se patine joliment."
    ),
    "laine-a-tricoter": (
        "Les bains de teinture varient légèrement : prenez toutes les pelotes d'un même "
        "ouvrage dans le même lot."
    ),
    "fromages": (
        "À conserver entre 4 et 8 °C dans son papier, et à sortir du réfrigérateur une heure "
        "avant de servir."
    ),
    "charcuterie": "À conserver dans un endroit frais et sec, au réfrigérateur une fois entamé.",
    "miel-confitures": (
        "À conserver à l'abri de la lumière ; les confitures se gardent au réfrigérateur "
        "après ouverture."
    ),
    "legumes": "Récolté la veille : à garder au frais et à consommer dans la semaine.",
    "pain-viennoiseries": "Se garde plusieurs jours dans un torchon et se congèle bien, tranché.",
    "biscuits-douceurs": "À garder dans une boîte en fer, à l'abri de l'humidité.",
    "ail-condiments": (
        "À conserver dans un endroit sec et aéré ; les bocaux vont au réfrigérateur après "
        "ouverture."
    ),
}

# Food looks, shared by several Products.
HONEY_CLEAR = Look("jar", "gingham", (226, 172, 54), (176, 58, 52))
HONEY_DARK = Look("jar", "gingham", (150, 84, 30), (176, 58, 52))
HONEY_CREAMY = Look("jar", "", (236, 204, 132), (190, 160, 90))
JAM_RED = Look("jar", "gingham", (150, 30, 52), (52, 90, 150))
JAM_ORANGE = Look("jar", "gingham", (222, 124, 40), (60, 120, 70))
JAM_DARK = Look("jar", "", (88, 36, 56), (190, 160, 90))
CHUTNEY = Look("jar", "", (150, 90, 40), (120, 110, 90))
SOUP = Look("jar", "", (214, 170, 80), (120, 110, 90))
GARLIC_CREAM = Look("jar", "", (236, 226, 196), (170, 92, 140))
PATE = Look("jar", "", (156, 96, 78), (190, 160, 90))
GARLIC = Look("garlic", "", (240, 222, 222), (172, 90, 140))
GARLIC_BRAID = Look("garlic", "braid", (238, 220, 220), (172, 90, 140))
GOAT_DISCS = Look("cheese", "", (246, 242, 230))
GOAT_HERBS = Look("cheese", "", (240, 236, 220), (96, 124, 70))
TOMME = Look("cheese", "wheel", (238, 216, 160), (138, 116, 82))
SAUSAGE = Look("sausage", "", (150, 52, 56))
SAUSAGE_DARK = Look("sausage", "", (118, 40, 44))
ROUND_LOAF = Look("loaf", "", (196, 140, 80))
RYE_LOAF = Look("loaf", "", (150, 100, 62))
LONG_LOAF = Look("loaf", "long", (210, 158, 88))
BRIOCHE = Look("loaf", "", (222, 164, 76))
BISCUITS = Look("biscuits", "", (214, 172, 104), (242, 232, 204))
DARK_BISCUITS = Look("biscuits", "", (170, 110, 60), (242, 232, 204))

VENDORS: tuple[VendorSpec, ...] = (
    VendorSpec(
        slug="filature-de-l-arnette",
        name="Filature de l'Arnette",
        kind="textile_workshop",
        tagline="La laine de Mazamet, filée au bord de l'Arnette depuis trois générations.",
        story=(
            "Au XIXe siècle, Mazamet délainait les peaux de moutons du monde entier. "
            "Il reste aujourd'hui quelques machines et beaucoup de savoir-faire : Claire et "
            "Mathieu Rouanet ont repris la petite filature familiale en 2015. Ils achètent la "
            "laine brute aux éleveurs de la Montagne Noire et des Monts de Lacaune, la lavent "
            "sans détergent agressif et la filent lentement pour garder son gonflant. Leurs "
            "pelotes partent chez les tricoteuses de toute la région, et une partie revient "
            "aux Ateliers sous forme de pulls."
        ),
        town="Mazamet",
        workshop="Filature de l'Arnette, Mazamet",
        making=(
            "Laine de brebis lavée et filée à Mazamet, teinte en petits bains pour des "
            "couleurs douces qui varient légèrement d'un lot à l'autre."
        ),
        siret="72865952509023",
        vat_number="FR70728659525",
        commission_rate_bps=1200,
        shipping_flat_cents=590,
        free_shipping_threshold_cents=8000,
        contact_email="bonjour@filature-arnette.fr",
        sku_prefix="ARN",
        logo_colour=(88, 108, 132),
        featured=True,
        products=(
            ProductSpec(
                "Pelote laine de Mazamet 4 fils",
                "laine-a-tricoter",
                "Une laine ronde et gonflante, parfaite pour les pulls et les bonnets.",
                Look("yarn"),
                price_cents=690,
                colours=("Écru", "Gris chiné", "Bleu ardoise", "Moutarde"),
                weight_grams=60,
                details="Pelote de 50 g, environ 110 m, aiguilles 4 à 4,5.",
            ),
            ProductSpec(
                "Pelote laine et mohair",
                "laine-a-tricoter",
                "Un fil léger et vaporeux, mélange de laine de brebis et de mohair du Tarn.",
                Look("yarn"),
                price_cents=890,
                colours=("Rose poudré", "Gris perle", "Sauge"),
                weight_grams=35,
                details="Pelote de 25 g, environ 200 m, aiguilles 3,5 à 5.",
            ),
            ProductSpec(
                "Écheveau laine brute non teinte",
                "laine-a-tricoter",
                "La couleur naturelle des brebis de la Montagne Noire, sans teinture.",
                Look("yarn"),
                price_cents=1290,
                colours=("Naturel", "Écru"),
                weight_grams=110,
                details="Écheveau de 100 g, environ 180 m.",
            ),
            ProductSpec(
                "Pelote grosse laine chinée",
                "laine-a-tricoter",
                "Un fil épais pour tricoter vite des plaids et des snoods bien chauds.",
                Look("yarn"),
                price_cents=990,
                colours=("Anthracite", "Gris chiné", "Terracotta"),
                weight_grams=110,
                details="Pelote de 100 g, environ 80 m, aiguilles 7 à 8.",
                stock=LOW_STOCK,
            ),
            ProductSpec(
                "Kit tricot bonnet torsadé",
                "laine-a-tricoter",
                "Deux pelotes, le patron illustré en français et un pompon à monter.",
                Look("yarn"),
                price_cents=3200,
                colours=("Moutarde", "Marine", "Rouge garance"),
                weight_grams=180,
            ),
            ProductSpec(
                "Pull col rond laine de Mazamet",
                "pulls-gilets",
                "Le pull de tous les jours, tricoté dans notre laine 4 fils.",
                Look("jumper", "knit"),
                price_cents=12900,
                colours=("Gris chiné", "Écru", "Marine"),
                sizes=ADULT_SIZES,
                weight_grams=480,
                details="Coupe droite, côtes 2/2 au col, aux poignets et en bas.",
            ),
            ProductSpec(
                "Pull marin rayé",
                "pulls-gilets",
                "La marinière version Montagne Noire, en laine épaisse rayée écru.",
                Look("jumper", "knit", accent=(234, 228, 210)),
                price_cents=13900,
                colours=("Marine", "Rouge garance"),
                sizes=ADULT_SIZES,
                weight_grams=520,
            ),
            ProductSpec(
                "Chaussettes de laine bouclette",
                "chaussettes",
                "Des chaussettes d'intérieur épaisses, tricotées avec nos fins de lots.",
                Look("socks", "knit"),
                price_cents=1690,
                colours=("Écru", "Gris chiné"),
                sizes=SOCK_SIZES,
                weight_grams=90,
            ),
            ProductSpec(
                "Plaid laine des Causses",
                "linge-de-maison",
                "Un grand plaid tissé dans une laine épaisse, pour les soirées d'hiver.",
                Look("folded_linen", "tartan", accent=(234, 226, 204)),
                price_cents=14900,
                colours=("Vert sapin", "Bordeaux"),
                sizes=("130 × 170 cm",),
                weight_grams=1100,
            ),
            ProductSpec(
                "Coussin en laine feutrée",
                "linge-de-maison",
                "Housse en laine feutrée à la main, garnissage en laine de mouton.",
                Look("folded_linen", "weave"),
                price_cents=5900,
                colours=("Moutarde", "Gris perle"),
                sizes=("40 × 40 cm",),
                weight_grams=600,
                stock=SOLD_OUT,
            ),
            ProductSpec(
                "Laine de rembourrage",
                "laine-a-tricoter",
                "Laine cardée et lavée pour garnir coussins, doudous et poufs.",
                Look("yarn"),
                price_cents=1490,
                colours=("Naturel",),
                weight_grams=520,
                details="Sachet de 500 g.",
            ),
            ProductSpec(
                "Nuancier des couleurs de la filature",
                "laine-a-tricoter",
                "Vingt mini-écheveaux pour choisir ses couleurs avant un grand projet.",
                Look("yarn"),
                price_cents=2400,
                colours=("Bleu ardoise", "Ocre"),
                weight_grams=150,
            ),
        ),
    ),
    VendorSpec(
        slug="tissage-de-l-agout",
        name="Le Tissage de l'Agout",
        kind="textile_workshop",
        tagline="Deux métiers à tisser au rez-de-chaussée des Ateliers.",
        story=(
            "Inès Garrigues a appris le tissage à Castres, dans l'une des dernières usines "
            "de la vallée de l'Agout. Quand l'usine a fermé, elle a racheté deux métiers et les "
            "a installés dans la friche qui allait devenir Les Ateliers. On peut la voir "
            "travailler derrière la vitrine du magasin : plaids, écharpes, torchons et nappes "
            "sortent du métier au rythme de quelques mètres par jour. Elle forme chaque année "
            "deux personnes en insertion au métier de tisserand."
        ),
        town="Castres",
        workshop="Les Ateliers, Castres",
        making=(
            "Tissé à Castres sur un métier à navette, dans l'atelier ouvert au public au "
            "rez-de-chaussée des Ateliers."
        ),
        siret="83252130601070",
        vat_number="FR73832521306",
        commission_rate_bps=1000,
        shipping_flat_cents=690,
        free_shipping_threshold_cents=9000,
        contact_email="atelier@tissage-agout.fr",
        sku_prefix="TAG",
        logo_colour=(112, 36, 52),
        featured=True,
        at_hub=True,
        products=(
            ProductSpec(
                "Écharpe tissée à chevrons",
                "echarpes-bonnets",
                "Une écharpe souple au motif chevron, tissée en laine mérinos.",
                Look("scarf", "weave"),
                price_cents=6900,
                colours=("Anthracite", "Camel", "Bleu ardoise"),
                weight_grams=180,
                details="30 × 180 cm, franges nouées à la main.",
            ),
            ProductSpec(
                "Écharpe écossaise laine",
                "echarpes-bonnets",
                "Le tartan des Ateliers, dessiné avec les couleurs de la Montagne Noire.",
                Look("scarf", "tartan", accent=(36, 52, 90)),
                price_cents=7400,
                colours=("Rouge garance", "Vert sapin"),
                weight_grams=190,
            ),
            ProductSpec(
                "Étole légère laine et soie",
                "echarpes-bonnets",
                "Une étole fine qui se porte toute l'année, laine mérinos et soie.",
                Look("scarf", "weave", accent=(234, 226, 204)),
                price_cents=8900,
                colours=("Rose poudré", "Gris perle"),
                weight_grams=120,
            ),
            ProductSpec(
                "Plaid tissé à carreaux",
                "linge-de-maison",
                "Un plaid généreux, tissé en une seule pièce sans couture.",
                Look("folded_linen", "tartan", accent=(40, 38, 38)),
                price_cents=16900,
                colours=("Bleu ardoise", "Ocre"),
                sizes=("140 × 190 cm",),
                weight_grams=1200,
            ),
            ProductSpec(
                "Torchon métis rayé",
                "linge-de-maison",
                "Le torchon qui essuie vraiment : lin et coton, tissé serré.",
                Look("folded_linen", "weave", accent=(162, 52, 46)),
                price_cents=1800,
                colours=("Naturel", "Blanc"),
                sizes=("50 × 70 cm",),
                weight_grams=110,
            ),
            ProductSpec(
                "Lot de 3 torchons des Ateliers",
                "linge-de-maison",
                "Trois torchons aux liteaux bleu, rouge et vert, le cadeau de crémaillère.",
                Look("folded_linen", "weave", accent=(36, 52, 90)),
                price_cents=4900,
                colours=("Naturel",),
                sizes=("50 × 70 cm",),
                weight_grams=320,
            ),
            ProductSpec(
                "Nappe en lin tissée",
                "linge-de-maison",
                "Une nappe de fête en lin lavé, avec un liseré tissé sur les bords.",
                Look("folded_linen", "linen", accent=(88, 108, 132)),
                price_cents=11900,
                colours=("Naturel", "Blanc"),
                sizes=("160 × 160 cm", "160 × 250 cm"),
                weight_grams=900,
            ),
            ProductSpec(
                "Serviettes de table en lin (lot de 4)",
                "linge-de-maison",
                "Quatre serviettes assorties aux nappes, ourlets faits main.",
                Look("folded_linen", "linen"),
                price_cents=4400,
                colours=("Naturel", "Sauge"),
                sizes=("45 × 45 cm",),
                weight_grams=300,
            ),
            ProductSpec(
                "Chemin de table à chevrons",
                "linge-de-maison",
                "Un chemin de table épais qui protège et habille les grandes tablées.",
                Look("folded_linen", "weave", accent=(198, 198, 194)),
                price_cents=3900,
                colours=("Anthracite", "Terracotta"),
                sizes=("40 × 180 cm",),
                weight_grams=350,
                stock=LOW_STOCK,
            ),
            ProductSpec(
                "Housse de coussin tissée",
                "linge-de-maison",
                "Une housse aux rayures larges, fermeture par boutons en corozo.",
                Look("folded_linen", "weave", accent=(234, 226, 204)),
                price_cents=3600,
                colours=("Moutarde", "Indigo", "Vert sapin"),
                sizes=("45 × 45 cm",),
                weight_grams=250,
            ),
            ProductSpec(
                "Tapis de bain en coton tissé",
                "linge-de-maison",
                "Un tapis épais et absorbant, tissé avec des fils de coton recyclé.",
                Look("folded_linen", "weave"),
                price_cents=4200,
                colours=("Blanc", "Gris perle"),
                sizes=("50 × 80 cm",),
                weight_grams=700,
            ),
            ProductSpec(
                "Snood tissé double face",
                "echarpes-bonnets",
                "Un col tube qui ne glisse pas, une face unie et une face à carreaux.",
                Look("scarf", "tartan", accent=(232, 224, 204)),
                price_cents=4900,
                colours=("Marine", "Bordeaux"),
                weight_grams=140,
                stock=SOLD_OUT,
            ),
            ProductSpec(
                "Couverture de berceau",
                "linge-de-maison",
                "Une petite couverture en laine mérinos douce, pour bébé.",
                Look("folded_linen", "weave", accent=(232, 224, 204)),
                price_cents=8900,
                colours=("Rose poudré", "Sauge", "Gris perle"),
                sizes=("75 × 100 cm",),
                weight_grams=450,
            ),
        ),
    ),
    VendorSpec(
        slug="mailles-d-autan",
        name="Mailles d'Autan",
        kind="textile_workshop",
        tagline="Pulls, gilets et bonnets tricotés à Labruguière.",
        story=(
            "Le vent d'autan souffle fort sur Labruguière, et c'est là que Sophie et Nadia ont "
            "ouvert leur atelier de tricot en 2012. Elles tricotent sur des machines rectilignes "
            "des années 1980 qu'elles entretiennent elles-mêmes, puis assemblent et finissent "
            "chaque pièce à la main. Toute leur laine vient de la filature de l'Arnette, à "
            "quinze kilomètres. Elles préfèrent les coupes simples qui durent dix ans aux "
            "tendances de la saison."
        ),
        town="Labruguière",
        workshop="Atelier Mailles d'Autan, Labruguière",
        making=(
            "Tricoté sur machine rectiligne puis remaillé et fini à la main à Labruguière, "
            "avec la laine filée à Mazamet."
        ),
        siret="88704500308848",
        vat_number="FR64887045003",
        commission_rate_bps=1200,
        shipping_flat_cents=690,
        free_shipping_threshold_cents=10000,
        contact_email="contact@mailles-autan.fr",
        sku_prefix="MAU",
        logo_colour=(200, 150, 44),
        products=(
            ProductSpec(
                "Pull torsadé col roulé",
                "pulls-gilets",
                "Un pull épais à torsades, celui qu'on enfile dès les premiers froids.",
                Look("jumper", "knit"),
                price_cents=17900,
                colours=("Écru", "Vert sapin"),
                sizes=ADULT_SIZES,
                weight_grams=650,
            ),
            ProductSpec(
                "Pull col V mérinos",
                "pulls-gilets",
                "Fin et chaud, il se glisse sous une veste sans épaissir.",
                Look("jumper", "knit"),
                price_cents=11900,
                colours=("Anthracite", "Bordeaux", "Bleu ardoise"),
                sizes=ADULT_SIZES,
                weight_grams=380,
            ),
            ProductSpec(
                "Gilet boutonné en laine",
                "pulls-gilets",
                "Le gilet long à poches, boutons en bois d'olivier.",
                Look("cardigan", "knit"),
                price_cents=14500,
                colours=("Gris chiné", "Camel"),
                sizes=ADULT_SIZES,
                weight_grams=560,
            ),
            ProductSpec(
                "Gilet court côtelé",
                "pulls-gilets",
                "Un petit gilet ajusté en côtes, à porter ouvert ou fermé.",
                Look("cardigan", "knit"),
                price_cents=12500,
                colours=("Rose poudré", "Moutarde"),
                sizes=ADULT_SIZES,
                weight_grams=420,
                stock=LOW_STOCK,
            ),
            ProductSpec(
                "Pull enfant à rayures",
                "pulls-gilets",
                "Un pull robuste pour les récréations, lavable en machine à 30 °C.",
                Look("jumper", "knit", accent=(200, 150, 44)),
                price_cents=6900,
                colours=("Marine", "Vert sapin"),
                sizes=("4 ans", "6 ans", "8 ans", "10 ans"),
                weight_grams=260,
            ),
            ProductSpec(
                "Pull oversize jacquard",
                "pulls-gilets",
                "Un grand pull au jacquard discret inspiré des tuiles des toits de Castres.",
                Look("jumper", "knit", accent=(190, 102, 72)),
                price_cents=16900,
                colours=("Écru",),
                sizes=("S", "M", "L"),
                weight_grams=600,
                stock=SOLD_OUT,
            ),
            ProductSpec(
                "Bonnet côtelé à revers",
                "echarpes-bonnets",
                "Le bonnet côtelé classique, double épaisseur sur les oreilles.",
                Look("beanie", "knit"),
                price_cents=3400,
                colours=("Moutarde", "Marine", "Rouge garance", "Gris chiné"),
                weight_grams=90,
            ),
            ProductSpec(
                "Bonnet à pompon",
                "echarpes-bonnets",
                "Un bonnet chaud surmonté d'un pompon en laine écrue.",
                Look("beanie", "knit", accent=(234, 228, 210)),
                price_cents=3900,
                colours=("Bordeaux", "Vert sapin", "Bleu ardoise"),
                weight_grams=110,
            ),
            ProductSpec(
                "Écharpe côtelée",
                "echarpes-bonnets",
                "Une écharpe longue tricotée en côtes anglaises, moelleuse et épaisse.",
                Look("scarf", "knit"),
                price_cents=5900,
                colours=("Gris chiné", "Moutarde", "Terracotta"),
                weight_grams=260,
            ),
            ProductSpec(
                "Mitaines en laine",
                "echarpes-bonnets",
                "Des mitaines pour garder les doigts libres au marché d'hiver.",
                Look("mittens", "knit"),
                price_cents=2600,
                colours=("Gris chiné", "Prune"),
                weight_grams=60,
            ),
            ProductSpec(
                "Snood tricoté",
                "echarpes-bonnets",
                "Un col tube en grosses mailles, qui se porte aussi en capuche.",
                Look("scarf", "knit"),
                price_cents=4500,
                colours=("Écru", "Anthracite"),
                weight_grams=200,
            ),
            ProductSpec(
                "Chaussettes de ski laine",
                "chaussettes",
                "Renforcées au talon et aux orteils, pour la piste comme pour le chalet.",
                Look("socks", "knit", accent=(162, 52, 46)),
                price_cents=1890,
                colours=("Anthracite", "Marine"),
                sizes=SOCK_SIZES,
                weight_grams=110,
            ),
            ProductSpec(
                "Pull sans manches",
                "pulls-gilets",
                "Un débardeur en laine fine à porter sur une chemise.",
                Look("jumper", "knit"),
                price_cents=9500,
                colours=("Camel", "Vert sapin"),
                sizes=ADULT_SIZES,
                weight_grams=280,
            ),
            ProductSpec(
                "Bandeau torsadé",
                "echarpes-bonnets",
                "Un bandeau doublé polaire pour les oreilles, joliment torsadé.",
                Look("beanie", "knit"),
                price_cents=2400,
                colours=("Écru", "Rose poudré"),
                weight_grams=50,
            ),
        ),
    ),
    VendorSpec(
        slug="reprise-atelier-d-upcycling",
        name="Reprise",
        kind="textile_workshop",
        tagline="L'atelier d'insertion qui donne une seconde vie aux vêtements.",
        story=(
            "Reprise est l'atelier d'insertion des Ateliers : huit salariés en parcours de "
            "retour à l'emploi y apprennent la couture, encadrés par deux couturières. Ils "
            "récupèrent les vêtements invendus des friperies du Tarn et les chutes des "
            "ateliers textiles du bâtiment, les trient, les lavent et les transforment. Chaque "
            "pièce est unique, et chaque achat finance des heures de formation. En 2023, "
            "l'atelier a évité la benne à plus de quatre tonnes de textile."
        ),
        town="Castres",
        workshop="Atelier Reprise, Les Ateliers, Castres",
        making=(
            "Cousu à Castres par l'atelier d'insertion Reprise, à partir de vêtements et de "
            "chutes récupérés : chaque pièce est un peu différente de la photo."
        ),
        siret="74804994707913",
        vat_number="FR48748049947",
        commission_rate_bps=1000,
        shipping_flat_cents=490,
        free_shipping_threshold_cents=5000,
        contact_email="reprise@lesateliers-castres.fr",
        sku_prefix="REP",
        logo_colour=(46, 86, 64),
        at_hub=True,
        products=(
            ProductSpec(
                "Sac cabas patchwork en jean",
                "vetements",
                "Un grand cabas solide cousu dans des jeans récupérés.",
                Look("tote", "patchwork"),
                price_cents=3900,
                colours=("Indigo",),
                weight_grams=450,
            ),
            ProductSpec(
                "Tote bag en toile de store",
                "vetements",
                "Un sac léger taillé dans des toiles de store rayées.",
                Look("tote", "weave", accent=(232, 224, 204)),
                price_cents=2400,
                colours=("Terracotta", "Bleu ardoise", "Vert sapin"),
                weight_grams=220,
            ),
            ProductSpec(
                "Veste en jean patchwork",
                "vetements",
                "Une veste unique assemblée à partir de trois jeans.",
                Look("shirt", "patchwork"),
                price_cents=8900,
                colours=("Indigo",),
                sizes=("S", "M", "L"),
                weight_grams=750,
                stock=LOW_STOCK,
            ),
            ProductSpec(
                "Tablier de cuisine réversible",
                "vetements",
                "Un tablier double face, poche ventrale et lien long.",
                Look("apron", "weave", accent=(162, 52, 46)),
                price_cents=3200,
                colours=("Naturel", "Kaki"),
                weight_grams=300,
            ),
            ProductSpec(
                "Chouchous en chutes de soie (lot de 3)",
                "vetements",
                "Trois chouchous doux pour les cheveux, cousus dans des chutes de soie.",
                Look("scrunchies", "weave"),
                price_cents=1200,
                colours=("Rose poudré", "Prune"),
                weight_grams=40,
            ),
            ProductSpec(
                "Trousse zippée patchwork",
                "vetements",
                "Une trousse doublée pour les crayons ou le maquillage.",
                Look("wallet", "patchwork"),
                price_cents=1800,
                colours=("Indigo", "Terracotta"),
                weight_grams=90,
            ),
            ProductSpec(
                "Chemise retouchée col Mao",
                "vetements",
                "Une chemise d'homme recoupée avec un col Mao et des boutons dépareillés.",
                Look("shirt", "linen"),
                price_cents=4500,
                colours=("Blanc", "Bleu ardoise"),
                sizes=("S", "M", "L", "XL"),
                weight_grams=260,
            ),
            ProductSpec(
                "Bee wraps en coton (lot de 3)",
                "linge-de-maison",
                "Des emballages alimentaires en coton enduit de la cire du Rucher d'Arfons.",
                Look("folded_linen", "weave", accent=(200, 150, 44)),
                price_cents=1900,
                colours=("Ocre", "Sauge"),
                weight_grams=80,
            ),
            ProductSpec(
                "Sac à vrac en lin (lot de 4)",
                "linge-de-maison",
                "Quatre sacs à cordon pour les courses en vrac au marché.",
                Look("tote", "linen"),
                price_cents=1500,
                colours=("Naturel",),
                weight_grams=120,
            ),
            ProductSpec(
                "Pochette ordinateur en laine feutrée",
                "vetements",
                "Une housse d'ordinateur taillée dans des pulls feutrés, doublée coton.",
                Look("wallet", "weave"),
                price_cents=3400,
                colours=("Gris chiné", "Bordeaux"),
                sizes=("13 pouces", "15 pouces"),
                weight_grams=250,
            ),
            ProductSpec(
                "Coussin patchwork de chutes",
                "linge-de-maison",
                "Un coussin coloré qui recycle les chutes du Tissage de l'Agout.",
                Look("folded_linen", "patchwork"),
                price_cents=2900,
                colours=("Indigo",),
                sizes=("40 × 40 cm",),
                weight_grams=450,
            ),
        ),
    ),
    VendorSpec(
        slug="lin-d-oc",
        name="Lin d'Oc",
        kind="textile_workshop",
        tagline="Du lin semé dans le Lauragais, cousu à Puylaurens.",
        story=(
            "Le lin poussait autrefois dans tout le Lauragais. Julien Sicard, fils "
            "d'agriculteurs de Puylaurens, en a ressemé dix hectares en 2017 avec trois voisins. "
            "La fibre part en Normandie pour être teillée et filée, puis revient tissée dans "
            "l'atelier de couture de Julien et de sa compagne Lucie. Ils y confectionnent des "
            "chemises, du linge de lit et de table qui s'adoucit à chaque lavage."
        ),
        town="Puylaurens",
        workshop="Atelier Lin d'Oc, Puylaurens",
        making=(
            "Lin cultivé dans le Lauragais, lavé à la pierre pour un toucher souple, coupé et "
            "cousu à Puylaurens."
        ),
        siret="79633509901116",
        vat_number="FR69796335099",
        commission_rate_bps=1300,
        shipping_flat_cents=690,
        free_shipping_threshold_cents=10000,
        contact_email="lucie@lin-doc.fr",
        sku_prefix="LOC",
        logo_colour=(150, 166, 138),
        products=(
            ProductSpec(
                "Chemise en lin lavé",
                "vetements",
                "La chemise d'été légère, col classique et boutons en nacre.",
                Look("shirt", "linen"),
                price_cents=9500,
                colours=("Blanc", "Naturel", "Bleu ardoise"),
                sizes=ADULT_SIZES,
                weight_grams=240,
            ),
            ProductSpec(
                "Chemise à col officier",
                "vetements",
                "Une chemise ample sans col rabattu, à porter ouverte sur un tee-shirt.",
                Look("shirt", "linen"),
                price_cents=9900,
                colours=("Sauge", "Terracotta"),
                sizes=ADULT_SIZES,
                weight_grams=240,
            ),
            ProductSpec(
                "Robe chemise en lin",
                "vetements",
                "Une robe longue boutonnée devant, ceinture à nouer.",
                Look("shirt", "linen"),
                price_cents=13900,
                colours=("Naturel", "Ocre"),
                sizes=("XS", "S", "M", "L"),
                weight_grams=380,
                stock=LOW_STOCK,
            ),
            ProductSpec(
                "Drap housse en lin",
                "linge-de-maison",
                "Frais en été, tiède en hiver, le lin régule la température du lit.",
                Look("folded_linen", "linen"),
                price_cents=8900,
                colours=("Blanc", "Naturel", "Gris perle"),
                sizes=("90 × 190 cm", "140 × 190 cm", "160 × 200 cm"),
                weight_grams=900,
            ),
            ProductSpec(
                "Housse de couette en lin",
                "linge-de-maison",
                "Une housse lavée et relavée pour un tombé souple dès la première nuit.",
                Look("folded_linen", "linen"),
                price_cents=17900,
                colours=("Blanc", "Sauge", "Terracotta"),
                sizes=("140 × 200 cm", "240 × 220 cm"),
                weight_grams=1600,
            ),
            ProductSpec(
                "Taies d'oreiller en lin (lot de 2)",
                "linge-de-maison",
                "Deux taies assorties, fermeture portefeuille.",
                Look("folded_linen", "linen"),
                price_cents=3900,
                colours=("Blanc", "Naturel", "Sauge"),
                sizes=("50 × 70 cm", "65 × 65 cm"),
                weight_grams=300,
            ),
            ProductSpec(
                "Torchons en lin (lot de 2)",
                "linge-de-maison",
                "Des torchons qui ne peluchent pas, idéaux pour les verres.",
                Look("folded_linen", "linen", accent=(162, 52, 46)),
                price_cents=2400,
                colours=("Naturel",),
                sizes=("50 × 70 cm",),
                weight_grams=180,
            ),
            ProductSpec(
                "Serviette de bain en lin gaufré",
                "linge-de-maison",
                "Une serviette fine qui sèche vite, idéale en voyage.",
                Look("folded_linen", "linen"),
                price_cents=4900,
                colours=("Blanc", "Gris perle"),
                sizes=("70 × 140 cm",),
                weight_grams=400,
                stock=SOLD_OUT,
            ),
            ProductSpec(
                "Pantalon large en lin",
                "vetements",
                "Un pantalon ample à taille élastiquée, poches profondes.",
                Look("trousers", "linen"),
                price_cents=8900,
                colours=("Naturel", "Kaki"),
                sizes=ADULT_SIZES,
                weight_grams=360,
            ),
            ProductSpec(
                "Rideau en lin voile",
                "linge-de-maison",
                "Un voilage léger qui filtre la lumière du sud.",
                Look("folded_linen", "linen"),
                price_cents=6900,
                colours=("Blanc", "Naturel"),
                sizes=("140 × 260 cm",),
                weight_grams=500,
            ),
            ProductSpec(
                "Tablier de jardin en lin épais",
                "vetements",
                "Un tablier à grandes poches pour les graines et le sécateur.",
                Look("apron", "linen"),
                price_cents=4200,
                colours=("Kaki", "Naturel"),
                weight_grams=380,
            ),
            ProductSpec(
                "Foulard en lin brodé",
                "echarpes-bonnets",
                "Un carré léger, brodé à la main d'un brin de lin bleu.",
                Look("scarf", "linen"),
                price_cents=3200,
                colours=("Blanc", "Rose poudré"),
                weight_grams=70,
            ),
        ),
    ),
    VendorSpec(
        slug="maroquinerie-du-dadou",
        name="Maroquinerie du Dadou",
        kind="textile_workshop",
        tagline="Le cuir de Graulhet, coupé et cousu main au point sellier.",
        story=(
            "Graulhet a été la capitale du cuir : plus de cent mégisseries y travaillaient au "
            "siècle dernier. Karim Benali y a appris le métier chez un maroquinier avant "
            "d'ouvrir son propre atelier en 2016, au bord du Dadou. Il choisit ses peaux dans "
            "l'une des tanneries encore en activité de la ville, coupe chaque pièce au couteau "
            "et la coud au point sellier, à deux aiguilles. Il répare aussi gratuitement ce "
            "qu'il a fabriqué."
        ),
        town="Graulhet",
        workshop="Maroquinerie du Dadou, Graulhet",
        making=(
            "Cuir tanné à Graulhet, coupé au couteau et cousu main au point sellier ; tranches "
            "teintes et lissées à la main."
        ),
        siret="57423656805740",
        vat_number="FR95574236568",
        commission_rate_bps=1500,
        shipping_flat_cents=590,
        free_shipping_threshold_cents=12000,
        contact_email="atelier@maroquinerie-dadou.fr",
        sku_prefix="MDD",
        logo_colour=(150, 86, 42),
        featured=True,
        products=(
            ProductSpec(
                "Ceinture en cuir pleine fleur",
                "accessoires-cuir",
                "Une ceinture de 35 mm, boucle en laiton massif.",
                Look("belt", "leather"),
                price_cents=6900,
                colours=("Cognac", "Noir", "Havane"),
                sizes=BELT_SIZES,
                weight_grams=220,
            ),
            ProductSpec(
                "Ceinture fine tressée",
                "accessoires-cuir",
                "Tressée à la main en lanières de cuir souple, elle s'ajuste au cran près.",
                Look("belt", "leather"),
                price_cents=5400,
                colours=("Camel", "Havane"),
                sizes=BELT_SIZES,
                weight_grams=160,
            ),
            ProductSpec(
                "Portefeuille compact",
                "accessoires-cuir",
                "Six cartes, un compartiment billets et une poche à monnaie.",
                Look("wallet", "leather"),
                price_cents=7900,
                colours=("Cognac", "Noir"),
                weight_grams=110,
            ),
            ProductSpec(
                "Porte-cartes minimaliste",
                "accessoires-cuir",
                "Trois poches pour l'essentiel, plus fin qu'un smartphone.",
                Look("wallet", "leather"),
                price_cents=3500,
                colours=("Cognac", "Vert sapin", "Bordeaux"),
                weight_grams=40,
            ),
            ProductSpec(
                "Porte-monnaie à fermoir",
                "accessoires-cuir",
                "Un porte-monnaie arrondi qui s'ouvre d'un geste.",
                Look("wallet", "leather", accent=(196, 170, 110)),
                price_cents=3900,
                colours=("Bordeaux", "Camel"),
                weight_grams=70,
            ),
            ProductSpec(
                "Sac à main besace",
                "accessoires-cuir",
                "Une besace de taille moyenne, bandoulière réglable.",
                Look("bag", "leather"),
                price_cents=24900,
                colours=("Cognac", "Noir"),
                weight_grams=850,
            ),
            ProductSpec(
                "Cabas en cuir souple",
                "accessoires-cuir",
                "Un grand cabas sans doublure qui se patine avec le temps.",
                Look("bag", "leather"),
                price_cents=27900,
                colours=("Havane", "Camel"),
                weight_grams=950,
                stock=SOLD_OUT,
            ),
            ProductSpec(
                "Bracelet en cuir tressé",
                "accessoires-cuir",
                "Un bracelet fin à fermoir aimanté.",
                Look("belt", "leather"),
                price_cents=2900,
                colours=("Cognac", "Noir"),
                sizes=("S", "M", "L"),
                weight_grams=30,
            ),
            ProductSpec(
                "Porte-clés en cuir",
                "accessoires-cuir",
                "Un porte-clés robuste avec un anneau en laiton.",
                Look("wallet", "leather", accent=(196, 170, 110)),
                price_cents=1500,
                colours=("Cognac", "Bordeaux", "Vert sapin"),
                weight_grams=30,
            ),
            ProductSpec(
                "Étui à lunettes",
                "accessoires-cuir",
                "Un étui rigide doublé de feutre de laine.",
                Look("wallet", "leather"),
                price_cents=4500,
                colours=("Havane", "Noir"),
                weight_grams=80,
            ),
            ProductSpec(
                "Sacoche vélo en cuir",
                "accessoires-cuir",
                "Une petite sacoche de guidon, fixée par deux sangles.",
                Look("bag", "leather"),
                price_cents=11900,
                colours=("Cognac",),
                weight_grams=500,
                stock=LOW_STOCK,
            ),
            ProductSpec(
                "Protège-carnet en cuir",
                "accessoires-cuir",
                "Une couverture de carnet A5 rechargeable, fermeture par lien.",
                Look("wallet", "leather"),
                price_cents=4900,
                colours=("Camel", "Havane"),
                weight_grams=180,
            ),
        ),
    ),
    VendorSpec(
        slug="chaussettes-de-brassac",
        name="Les Chaussettes de Brassac",
        kind="textile_workshop",
        tagline="La bonneterie du Sidobre, maille après maille.",
        story=(
            "Dans la vallée de l'Agout, Brassac a compté jusqu'à six bonneteries. Celle de "
            "Marie-Hélène Azaïs est la dernière : quatre machines circulaires, six salariées et "
            "des chaussettes qui ne trouent pas. Les fils viennent de filatures françaises, la "
            "laine de Mazamet, et chaque paire est remaillée à la main au bout du pied pour "
            "qu'aucune couture ne frotte. L'atelier rachète les paires usées pour les recycler "
            "en laine de rembourrage."
        ),
        town="Brassac",
        workshop="Bonneterie Azaïs, Brassac",
        making=(
            "Tricoté à Brassac sur machine circulaire, pointe remaillée à la main pour une "
            "couture plate qui ne se sent pas."
        ),
        siret="89862513200342",
        vat_number="FR95898625132",
        commission_rate_bps=1200,
        shipping_flat_cents=390,
        free_shipping_threshold_cents=4500,
        contact_email="bonneterie@chaussettes-brassac.fr",
        sku_prefix="CHB",
        logo_colour=(162, 52, 46),
        products=(
            ProductSpec(
                "Chaussettes laine et coton",
                "chaussettes",
                "La paire de tous les jours, chaude sans tenir trop chaud.",
                Look("socks", "knit"),
                price_cents=1490,
                colours=("Anthracite", "Marine", "Bordeaux"),
                sizes=SOCK_SIZES,
                weight_grams=70,
            ),
            ProductSpec(
                "Chaussettes rayées",
                "chaussettes",
                "Des rayures franches pour égayer les bottines.",
                Look("socks", "knit", accent=(200, 150, 44)),
                price_cents=1590,
                colours=("Marine", "Vert sapin", "Rouge garance"),
                sizes=SOCK_SIZES,
                weight_grams=70,
            ),
            ProductSpec(
                "Mi-bas en laine mérinos",
                "chaussettes",
                "Montants jusqu'au genou, parfaits sous une jupe ou dans des bottes.",
                Look("socks", "knit"),
                price_cents=1890,
                colours=("Gris chiné", "Prune", "Noir"),
                sizes=SOCK_SIZES,
                weight_grams=90,
            ),
            ProductSpec(
                "Chaussettes de randonnée",
                "chaussettes",
                "Semelle bouclette, renforts au talon, pour les sentiers du Sidobre.",
                Look("socks", "knit", accent=(88, 108, 132)),
                price_cents=1790,
                colours=("Gris chiné", "Kaki"),
                sizes=SOCK_SIZES,
                weight_grams=100,
            ),
            ProductSpec(
                "Chaussettes fines en fil d'Écosse",
                "chaussettes",
                "Des chaussettes de costume en coton mercerisé, douces et brillantes.",
                Look("socks", "knit"),
                price_cents=1490,
                colours=("Noir", "Marine", "Bordeaux"),
                sizes=SOCK_SIZES,
                weight_grams=50,
            ),
            ProductSpec(
                "Socquettes en coton bio",
                "chaussettes",
                "Des chaussettes basses pour les baskets, en coton biologique.",
                Look("socks", "knit"),
                price_cents=1400,
                colours=("Blanc", "Gris perle", "Sauge"),
                sizes=SOCK_SIZES,
                weight_grams=40,
            ),
            ProductSpec(
                "Chaussettes à motifs moutons",
                "chaussettes",
                "Un petit troupeau de brebis de Lacaune brodé sur la tige.",
                Look("socks", "knit", accent=(232, 224, 204)),
                price_cents=1690,
                colours=("Vert sapin", "Moutarde"),
                sizes=SOCK_SIZES,
                weight_grams=70,
            ),
            ProductSpec(
                "Chaussettes de travail renforcées",
                "chaussettes",
                "Épaisses et solides, pour les chaussures de sécurité.",
                Look("socks", "knit", accent=(40, 38, 38)),
                price_cents=1590,
                colours=("Anthracite",),
                sizes=SOCK_SIZES,
                weight_grams=110,
            ),
            ProductSpec(
                "Coffret trois paires",
                "chaussettes",
                "Trois paires assorties dans une boîte en carton recyclé, prêtes à offrir.",
                Look("socks", "knit", accent=(162, 52, 46)),
                price_cents=4200,
                colours=("Marine", "Gris chiné"),
                sizes=SOCK_SIZES,
                weight_grams=250,
            ),
            ProductSpec(
                "Chaussettes d'intérieur antidérapantes",
                "chaussettes",
                "Une semelle à picots pour ne pas glisser sur le carrelage.",
                Look("socks", "knit"),
                price_cents=1890,
                colours=("Rose poudré", "Bleu ardoise"),
                sizes=SOCK_SIZES,
                weight_grams=110,
                stock=LOW_STOCK,
            ),
        ),
    ),
    VendorSpec(
        slug="ferme-d-en-segur",
        name="Ferme d'En Ségur",
        kind="producer",
        tagline="L'ail rose de Lautrec, cultivé et tressé à la main.",
        story=(
            "À En Ségur, sur les coteaux de Lautrec, la famille Bousquet cultive l'ail rose "
            "depuis quatre générations. On le plante à la fin de l'automne, on l'arrache en "
            "juin, puis il sèche à l'ombre pendant des semaines avant d'être tressé en manouilles "
            "dans la grange. Le Label Rouge et l'IGP garantissent son goût doux et sa longue "
            "conservation. Pierre et Anaïs transforment aussi une partie de la récolte en "
            "crèmes, en sel et en soupe, selon les recettes de la grand-mère."
        ),
        town="Lautrec",
        workshop="Ferme d'En Ségur, Lautrec",
        making=(
            "Ail rose de Lautrec IGP et Label Rouge, cultivé sur les coteaux de Lautrec, séché "
            "naturellement et trié à la main."
        ),
        siret="88892028701410",
        vat_number="FR13888920287",
        commission_rate_bps=1100,
        shipping_flat_cents=590,
        free_shipping_threshold_cents=4000,
        contact_email="ferme@ensegur-ailrose.fr",
        sku_prefix="ENS",
        logo_colour=(172, 90, 140),
        featured=True,
        products=(
            ProductSpec(
                "Manouille d'ail rose de Lautrec",
                "ail-condiments",
                "Le bouquet traditionnel de têtes d'ail, noué par les tiges.",
                GARLIC,
                units=(Unit("500 g", 790, 550), Unit("1 kg", 1450, 1080)),
            ),
            ProductSpec(
                "Tresse d'ail rose de Lautrec",
                "ail-condiments",
                "Une tresse de douze têtes à suspendre dans la cuisine.",
                GARLIC_BRAID,
                units=(Unit("la pièce", 1490, 900),),
                details="L'ail se conserve jusqu'au printemps dans un endroit sec.",
            ),
            ProductSpec(
                "Ail rose en vrac",
                "ail-condiments",
                "Des têtes calibrées, pour la cuisine de tous les jours.",
                GARLIC,
                units=(Unit("250 g", 450, 270), Unit("500 g", 820, 530)),
            ),
            ProductSpec(
                "Crème d'ail rose",
                "ail-condiments",
                "À tartiner sur du pain grillé ou à fondre dans une sauce.",
                GARLIC_CREAM,
                units=(Unit("bocal 90 g", 490, 200), Unit("bocal 180 g", 790, 330)),
            ),
            ProductSpec(
                "Soupe à l'ail rose",
                "ail-condiments",
                "La tourin tarnaise, prête à réchauffer, avec ses fils d'œuf.",
                SOUP,
                units=(Unit("bocal 750 ml", 690, 1150),),
            ),
            ProductSpec(
                "Sel à l'ail rose",
                "ail-condiments",
                "Du sel de Camargue mélangé à notre ail séché, pour les grillades.",
                GARLIC_CREAM,
                units=(Unit("pot 120 g", 550, 200),),
            ),
            ProductSpec(
                "Ail rose confit à l'huile d'olive",
                "ail-condiments",
                "Des gousses fondantes à écraser sur une viande ou des légumes rôtis.",
                Look("jar", "", (222, 198, 120), (190, 160, 90)),
                units=(Unit("bocal 200 g", 890, 380),),
                stock=LOW_STOCK,
            ),
            ProductSpec(
                "Vinaigre à l'ail rose",
                "ail-condiments",
                "Un vinaigre de vin doux infusé de gousses entières.",
                Look("jar", "", (196, 120, 96), (190, 160, 90)),
                units=(Unit("bouteille 25 cl", 650, 500),),
            ),
            ProductSpec(
                "Semences d'ail rose à planter",
                "ail-condiments",
                "Des caïeux sélectionnés pour planter son ail au potager.",
                GARLIC,
                units=(Unit("500 g", 990, 520),),
                stock=SOLD_OUT,
            ),
            ProductSpec(
                "Pesto d'ail des ours et ail rose",
                "ail-condiments",
                "Un pesto vert et parfumé, sans fromage, pour les pâtes.",
                Look("jar", "", (106, 132, 60), (190, 160, 90)),
                units=(Unit("bocal 130 g", 690, 280),),
            ),
        ),
    ),
    VendorSpec(
        slug="salaisons-des-monts-de-lacaune",
        name="Salaisons des Monts de Lacaune",
        kind="food_maker",
        tagline="Charcuterie sèche affinée à l'air des Monts de Lacaune.",
        story=(
            "À Lacaune, à 800 mètres d'altitude, l'air est sec et frais : c'est pour cela que "
            "la charcuterie y sèche si bien depuis des siècles. Jean-Louis Carayon et ses deux "
            "fils travaillent des porcs élevés en plein air dans le Tarn et l'Aveyron, sans "
            "colorant ni conservateur autre que le sel. Les jambons passent au moins douze mois "
            "au séchoir. La maison fait aussi les spécialités castraises, bougnette et melsat, "
            "qu'on ne trouve presque plus ailleurs."
        ),
        town="Lacaune",
        workshop="Salaisons des Monts de Lacaune, Lacaune",
        making=(
            "Porcs élevés en plein air dans le Tarn et l'Aveyron, viande salée à la main et "
            "séchée naturellement à Lacaune."
        ),
        siret="30791464809381",
        vat_number="FR55307914648",
        commission_rate_bps=1200,
        shipping_flat_cents=790,
        free_shipping_threshold_cents=6000,
        contact_email="commandes@salaisons-lacaune.fr",
        sku_prefix="SML",
        logo_colour=(112, 36, 52),
        products=(
            ProductSpec(
                "Saucisson sec de Lacaune",
                "charcuterie",
                "Le saucisson IGP à la mêlée grossière, séché six semaines.",
                SAUSAGE,
                units=(Unit("la pièce 250 g", 790, 270), Unit("la pièce 500 g", 1490, 530)),
            ),
            ProductSpec(
                "Saucisse sèche de Lacaune",
                "charcuterie",
                "La saucisse fine en U, à croquer à l'apéritif.",
                SAUSAGE_DARK,
                units=(Unit("300 g", 890, 320),),
            ),
            ProductSpec(
                "Jambon sec de Lacaune tranché",
                "charcuterie",
                "Un jambon affiné douze mois, tranché fin à la commande.",
                Look("sausage", "", (176, 64, 70)),
                units=(Unit("4 tranches 120 g", 690, 150), Unit("8 tranches 240 g", 1290, 280)),
            ),
            ProductSpec(
                "Bougnette de Castres",
                "charcuterie",
                "La spécialité castraise : une boule de viande de porc, pain et œufs, en crépine.",
                Look("loaf", "", (170, 100, 70)),
                units=(Unit("la pièce", 450, 220),),
                details="À déguster froide en tranches ou poêlée.",
            ),
            ProductSpec(
                "Melsat",
                "charcuterie",
                "Le boudin blanc tarnais à la mie de pain, à griller.",
                Look("sausage", "", (226, 208, 190)),
                units=(Unit("500 g", 1150, 540),),
                stock=LOW_STOCK,
            ),
            ProductSpec(
                "Fritons de porc",
                "charcuterie",
                "Les rillettes croustillantes du Tarn, à tartiner sur du pain de campagne.",
                PATE,
                units=(Unit("bocal 180 g", 590, 320),),
            ),
            ProductSpec(
                "Pâté de campagne",
                "charcuterie",
                "Un pâté rustique au poivre et à l'armagnac.",
                PATE,
                units=(Unit("bocal 180 g", 550, 320), Unit("bocal 350 g", 890, 560)),
            ),
            ProductSpec(
                "Terrine de sanglier",
                "charcuterie",
                "Le sanglier des Monts de Lacaune, aux baies de genièvre.",
                Look("jar", "", (120, 70, 58), (190, 160, 90)),
                units=(Unit("bocal 180 g", 690, 320),),
            ),
            ProductSpec(
                "Coppa affinée",
                "charcuterie",
                "L'échine roulée et séchée quatre mois, au poivre noir.",
                SAUSAGE,
                units=(Unit("150 g tranchée", 790, 180),),
                stock=SOLD_OUT,
            ),
            ProductSpec(
                "Chorizo doux de Lacaune",
                "charcuterie",
                "Au piment d'Espelette, doux et fumé.",
                Look("sausage", "", (190, 60, 40)),
                units=(Unit("la pièce 250 g", 850, 270),),
            ),
            ProductSpec(
                "Boudin noir aux oignons",
                "charcuterie",
                "Le boudin de la tuée du cochon, aux oignons doux des Cévennes.",
                SAUSAGE_DARK,
                units=(Unit("500 g", 990, 540),),
            ),
        ),
    ),
    VendorSpec(
        slug="chevrerie-du-sidobre",
        name="Chèvrerie du Sidobre",
        kind="producer",
        tagline="Soixante chèvres, des rochers de granit et des fromages de caractère.",
        story=(
            "Élodie Cabrol élève soixante chèvres alpines au milieu des chaos granitiques du "
            "Sidobre, à Lacrouzette. Les chèvres pâturent dès que le temps le permet et "
            "reçoivent le foin de la ferme l'hiver. Le lait est transformé chaque matin, cru, "
            "dans la fromagerie attenante : cabécous, bûches, tommes et faisselles. Les "
            "chevreaux restent avec leur mère les premières semaines, et la traite s'arrête "
            "l'hiver pour laisser le troupeau se reposer."
        ),
        town="Lacrouzette",
        workshop="Chèvrerie du Sidobre, Lacrouzette",
        making=(
            "Fromage fermier au lait cru de chèvres alpines élevées en plein air dans le "
            "Sidobre, moulé à la louche."
        ),
        siret="71802926708325",
        vat_number="FR83718029267",
        commission_rate_bps=1100,
        shipping_flat_cents=890,
        free_shipping_threshold_cents=5000,
        contact_email="elodie@chevrerie-sidobre.fr",
        sku_prefix="CHS",
        logo_colour=(96, 124, 70),
        products=(
            ProductSpec(
                "Cabécou fermier",
                "fromages",
                "Le petit palet de chèvre tendre, doux ou affiné selon vos goûts.",
                GOAT_DISCS,
                units=(Unit("la pièce", 190, 50), Unit("lot de 4", 690, 200)),
            ),
            ProductSpec(
                "Cabécous aux herbes du Sidobre",
                "fromages",
                "Roulés dans le thym, le serpolet et la sarriette du jardin.",
                GOAT_HERBS,
                units=(Unit("lot de 4", 750, 200),),
            ),
            ProductSpec(
                "Bûche de chèvre cendrée",
                "fromages",
                "Une bûche affinée trois semaines sous une fine couche de cendre.",
                Look("cheese", "", (226, 224, 214), (70, 72, 78)),
                units=(Unit("la pièce 180 g", 690, 200),),
            ),
            ProductSpec(
                "Tomme de chèvre du Sidobre",
                "fromages",
                "Une tomme à croûte naturelle, affinée trois mois en cave.",
                TOMME,
                units=(Unit("250 g", 790, 270), Unit("500 g", 1490, 530)),
            ),
            ProductSpec(
                "Faisselle de chèvre",
                "fromages",
                "Le caillé frais égoutté, à déguster avec du miel ou des herbes.",
                Look("jar", "", (246, 244, 236), (96, 124, 70)),
                units=(Unit("pot 400 g", 420, 450),),
            ),
            ProductSpec(
                "Crottin demi-sec",
                "fromages",
                "Entre le frais et l'affiné, pour les salades de chèvre chaud.",
                GOAT_DISCS,
                units=(Unit("lot de 2", 490, 160),),
                stock=LOW_STOCK,
            ),
            ProductSpec(
                "Pyramide au poivre",
                "fromages",
                "Une pyramide affinée, enrobée de poivre concassé.",
                Look("cheese", "", (238, 232, 218), (60, 58, 54)),
                units=(Unit("la pièce 150 g", 650, 170),),
            ),
            ProductSpec(
                "Confiture de lait de chèvre",
                "miel-confitures",
                "Le lait de nos chèvres cuit doucement avec du sucre, pendant des heures.",
                Look("jar", "", (186, 132, 72), (96, 124, 70)),
                units=(Unit("bocal 220 g", 750, 380),),
            ),
            ProductSpec(
                "Yaourts au lait de chèvre (lot de 4)",
                "fromages",
                "Des yaourts nature fermes et doux.",
                Look("jar", "", (248, 246, 240), (96, 124, 70)),
                units=(Unit("4 × 125 g", 490, 620),),
            ),
            ProductSpec(
                "Plateau découverte de la chèvrerie",
                "fromages",
                "Cabécous, bûche cendrée et tomme : un tour de la fromagerie.",
                GOAT_HERBS,
                units=(Unit("plateau 600 g", 1990, 700),),
            ),
        ),
    ),
    VendorSpec(
        slug="rucher-de-la-montagne-noire",
        name="Rucher de la Montagne Noire",
        kind="producer",
        tagline="Miels de châtaignier, de bruyère et de montagne, récoltés à Arfons.",
        story=(
            "Thomas Escande a installé ses premières ruches à Arfons en 2009, au cœur de la "
            "forêt de la Montagne Noire. Il en soigne aujourd'hui trois cents, qu'il déplace au "
            "fil des floraisons : acacia dans la plaine au printemps, châtaignier et ronce en "
            "juillet, bruyère callune à la fin de l'été. Les miels sont extraits à froid et ne "
            "sont jamais chauffés, pour garder leurs arômes. La cire des Ateliers, celle des bee "
            "wraps de Reprise, vient aussi de ses ruches."
        ),
        town="Arfons",
        workshop="Rucher de la Montagne Noire, Arfons",
        making=(
            "Miel récolté dans la Montagne Noire, extrait à froid et mis en pot à Arfons, "
            "jamais chauffé ni filtré finement."
        ),
        siret="65377528807880",
        vat_number="FR38653775288",
        commission_rate_bps=1100,
        shipping_flat_cents=690,
        free_shipping_threshold_cents=4500,
        contact_email="miel@rucher-montagnenoire.fr",
        sku_prefix="RMN",
        logo_colour=(200, 150, 44),
        featured=True,
        products=(
            ProductSpec(
                "Miel de châtaignier",
                "miel-confitures",
                "Un miel ambré, corsé et légèrement amer, le plus typé de la montagne.",
                HONEY_DARK,
                units=(
                    Unit("pot 250 g", 750, 420),
                    Unit("pot 500 g", 1290, 700),
                    Unit("pot 1 kg", 2290, 1300),
                ),
            ),
            ProductSpec(
                "Miel de bruyère callune",
                "miel-confitures",
                "Un miel crémeux aux notes boisées, récolté en septembre.",
                HONEY_CREAMY,
                units=(Unit("pot 250 g", 850, 420), Unit("pot 500 g", 1390, 700)),
            ),
            ProductSpec(
                "Miel d'acacia",
                "miel-confitures",
                "Très doux et liquide, il sucre le thé sans en changer le goût.",
                HONEY_CLEAR,
                units=(Unit("pot 250 g", 790, 420), Unit("pot 500 g", 1350, 700)),
            ),
            ProductSpec(
                "Miel toutes fleurs de printemps",
                "miel-confitures",
                "Le premier miel de l'année, clair et fleuri.",
                HONEY_CREAMY,
                units=(
                    Unit("pot 250 g", 700, 420),
                    Unit("pot 500 g", 1150, 700),
                    Unit("pot 1 kg", 1990, 1300),
                ),
            ),
            ProductSpec(
                "Miel de montagne",
                "miel-confitures",
                "Ronce, tilleul et fleurs sauvages des hauteurs d'Arfons.",
                HONEY_CLEAR,
                units=(Unit("pot 500 g", 1250, 700),),
            ),
            ProductSpec(
                "Miel de sarrasin",
                "miel-confitures",
                "Un miel presque noir au goût malté, pour le pain d'épices.",
                HONEY_DARK,
                units=(Unit("pot 250 g", 890, 420),),
                stock=SOLD_OUT,
            ),
            ProductSpec(
                "Miel en rayon",
                "miel-confitures",
                "Un morceau de cadre tel qu'il sort de la ruche, cire comprise.",
                Look("jar", "", (230, 180, 60), (190, 160, 90)),
                units=(Unit("boîte 300 g", 1390, 420),),
                stock=LOW_STOCK,
            ),
            ProductSpec(
                "Pain d'épices au miel de châtaignier",
                "biscuits-douceurs",
                "Moelleux, épicé, avec 50 % de miel et de la farine de seigle.",
                Look("loaf", "long", (150, 84, 40)),
                units=(Unit("400 g", 890, 450),),
            ),
            ProductSpec(
                "Pollen frais de la Montagne Noire",
                "miel-confitures",
                "Des pelotes de pollen congelées dès la récolte.",
                Look("jar", "", (222, 160, 40), (190, 160, 90)),
                units=(Unit("pot 250 g", 1400, 320),),
            ),
            ProductSpec(
                "Bonbons au miel et à la propolis",
                "biscuits-douceurs",
                "Pour la gorge en hiver, cuits au chaudron de cuivre.",
                Look("jar", "", (210, 140, 36), (190, 160, 90)),
                units=(Unit("sachet 150 g", 590, 170),),
            ),
            ProductSpec(
                "Nougat au miel et aux amandes",
                "biscuits-douceurs",
                "Un nougat tendre fait avec notre miel de printemps.",
                BISCUITS,
                units=(Unit("barre 100 g", 490, 120), Unit("boîte 250 g", 1090, 300)),
            ),
        ),
    ),
    VendorSpec(
        slug="jardins-de-la-durenque",
        name="Les Jardins de la Durenque",
        kind="producer",
        tagline="Des légumes de saison cueillis la veille, à Saïx.",
        story=(
            "Sur trois hectares de terres alluviales au bord de la Durenque, Léa et Antoine "
            "Fabre cultivent une cinquantaine de légumes en agriculture biologique. Ils "
            "choisissent des variétés anciennes pour le goût plutôt que pour le rendement, "
            "sèment leurs engrais verts et travaillent le sol le moins possible. Tout est "
            "récolté la veille de la livraison et déposé aux Ateliers le mercredi et le samedi "
            "matin. Ce qui ne se vend pas part à l'épicerie solidaire de Castres."
        ),
        town="Saïx",
        workshop="Les Jardins de la Durenque, Saïx",
        making=(
            "Légumes cultivés en agriculture biologique à Saïx et récoltés la veille de la "
            "livraison aux Ateliers."
        ),
        siret="85555963908158",
        vat_number="FR50855559639",
        commission_rate_bps=1000,
        shipping_flat_cents=690,
        free_shipping_threshold_cents=3500,
        contact_email="jardins@durenque-bio.fr",
        sku_prefix="JDD",
        logo_colour=(78, 130, 60),
        products=(
            ProductSpec(
                "Panier de légumes de saison",
                "legumes",
                "Sept à neuf légumes de la semaine, choisis selon la récolte.",
                Look("vegetables", "tomato", (200, 60, 40)),
                units=(
                    Unit("petit panier 3 kg", 1500, 3200),
                    Unit("grand panier 6 kg", 2500, 6300),
                ),
            ),
            ProductSpec(
                "Tomates anciennes mélangées",
                "legumes",
                "Cœur de bœuf, noire de Crimée, green zebra : un arc-en-ciel de saveurs.",
                Look("vegetables", "tomato", (196, 56, 40)),
                units=(Unit("1 kg", 590, 1050),),
            ),
            ProductSpec(
                "Pommes de terre Agata",
                "legumes",
                "Une chair ferme, pour la vapeur, les salades et la poêle.",
                Look("vegetables", "potato", (178, 138, 92)),
                units=(Unit("2,5 kg", 550, 2600), Unit("5 kg", 990, 5100)),
            ),
            ProductSpec(
                "Carottes des sables",
                "legumes",
                "Des carottes sucrées en botte, fanes comprises.",
                Look("vegetables", "carrot", (232, 120, 40)),
                units=(Unit("la botte", 290, 900),),
            ),
            ProductSpec(
                "Courge butternut",
                "legumes",
                "Une courge à la chair dense et noisettée, qui se garde tout l'hiver.",
                Look("vegetables", "squash", (226, 150, 70)),
                units=(Unit("la pièce (env. 1,2 kg)", 380, 1250),),
            ),
            ProductSpec(
                "Potimarron",
                "legumes",
                "Il se cuisine avec la peau : en velouté, rôti ou en gratin.",
                Look("vegetables", "squash", (222, 110, 40)),
                units=(Unit("la pièce (env. 1,5 kg)", 420, 1550),),
            ),
            ProductSpec(
                "Salade batavia",
                "legumes",
                "Croquante, cueillie le matin même.",
                Look("vegetables", "salad", (120, 172, 70)),
                units=(Unit("la pièce", 160, 400),),
            ),
            ProductSpec(
                "Mesclun de jeunes pousses",
                "legumes",
                "Roquette, mizuna, feuille de chêne et fleurs comestibles.",
                Look("vegetables", "salad", (96, 150, 60)),
                units=(Unit("sachet 150 g", 390, 180),),
                stock=LOW_STOCK,
            ),
            ProductSpec(
                "Oignons doux",
                "legumes",
                "Des oignons jaunes peu piquants, pour les tartes et les confits.",
                Look("vegetables", "potato", (200, 152, 92)),
                units=(Unit("1 kg", 320, 1050),),
            ),
            ProductSpec(
                "Poireaux d'hiver",
                "legumes",
                "Des poireaux longs et tendres, pour la vinaigrette et la soupe.",
                Look("vegetables", "carrot", (226, 230, 200)),
                units=(Unit("la botte (1 kg)", 380, 1050),),
                stock=SOLD_OUT,
            ),
            ProductSpec(
                "Betteraves rouges cuites",
                "legumes",
                "Cuites au four à bois, prêtes à couper en salade.",
                Look("vegetables", "potato", (130, 36, 66)),
                units=(Unit("500 g", 350, 540),),
            ),
        ),
    ),
    VendorSpec(
        slug="fournil-des-ateliers",
        name="Le Fournil des Ateliers",
        kind="food_maker",
        tagline="Pain au levain et biscuits du Tarn, cuits au feu de bois dans le bâtiment.",
        story=(
            "Le four à bois du Fournil occupe l'ancienne chaufferie de l'usine. Mehdi et "
            "Camille y cuisent chaque nuit des pains au levain naturel, avec des farines de "
            "blés anciens moulues sur meule de pierre dans le Lauragais. Ils ont remis au goût "
            "du jour les biscuits tarnais : gimblettes d'Albi, jeannots, navettes et croquants "
            "de Cordes. Le restaurant des Ateliers sert leur pain à midi, et deux apprentis "
            "boulangers se forment au fournil chaque année."
        ),
        town="Castres",
        workshop="Le Fournil des Ateliers, Castres",
        making=(
            "Pétri à la main et cuit au feu de bois aux Ateliers, à Castres, avec des farines "
            "biologiques moulues sur meule dans le Lauragais."
        ),
        siret="71839493503440",
        vat_number="FR17718394935",
        commission_rate_bps=1000,
        shipping_flat_cents=590,
        free_shipping_threshold_cents=3000,
        contact_email="fournil@lesateliers-castres.fr",
        sku_prefix="FDA",
        logo_colour=(176, 110, 60),
        at_hub=True,
        products=(
            ProductSpec(
                "Pain de campagne au levain",
                "pain-viennoiseries",
                "Une grosse miche à la croûte épaisse, qui se garde une semaine.",
                ROUND_LOAF,
                units=(Unit("500 g", 390, 520), Unit("1 kg", 690, 1030)),
            ),
            ProductSpec(
                "Tourte de seigle",
                "pain-viennoiseries",
                "Un pain dense et acidulé, parfait avec les fromages et les huîtres.",
                RYE_LOAF,
                units=(Unit("800 g", 620, 820),),
            ),
            ProductSpec(
                "Baguette de tradition au levain",
                "pain-viennoiseries",
                "Longue fermentation, mie alvéolée et croûte qui chante.",
                LONG_LOAF,
                units=(Unit("la pièce", 140, 260),),
            ),
            ProductSpec(
                "Pain aux noix",
                "pain-viennoiseries",
                "Un pain de campagne généreusement garni de noix du Quercy.",
                RYE_LOAF,
                units=(Unit("400 g", 480, 420),),
            ),
            ProductSpec(
                "Brioche au beurre",
                "pain-viennoiseries",
                "Filante et parfumée à la fleur d'oranger.",
                BRIOCHE,
                units=(Unit("la pièce 400 g", 690, 420),),
            ),
            ProductSpec(
                "Fouace aux fruits confits",
                "pain-viennoiseries",
                "La couronne briochée des fêtes, parsemée de sucre en grains.",
                BRIOCHE,
                units=(Unit("la pièce 500 g", 990, 520),),
                stock=LOW_STOCK,
            ),
            ProductSpec(
                "Gimblettes d'Albi",
                "biscuits-douceurs",
                "L'anneau croquant à l'écorce de cédrat, spécialité albigeoise.",
                BISCUITS,
                units=(Unit("sachet 200 g", 490, 230),),
            ),
            ProductSpec(
                "Jeannots à l'anis",
                "biscuits-douceurs",
                "Des petits biscuits secs tarnais, parfumés à l'anis vert.",
                BISCUITS,
                units=(Unit("sachet 200 g", 450, 230),),
            ),
            ProductSpec(
                "Croquants de Cordes aux amandes",
                "biscuits-douceurs",
                "Fins, très croquants, pleins d'amandes entières.",
                BISCUITS,
                units=(Unit("sachet 150 g", 520, 180), Unit("boîte 300 g", 950, 360)),
            ),
            ProductSpec(
                "Navettes à la fleur d'oranger",
                "biscuits-douceurs",
                "Des biscuits en forme de barque, secs et parfumés.",
                DARK_BISCUITS,
                units=(Unit("sachet 200 g", 480, 230),),
            ),
            ProductSpec(
                "Échaudés du Tarn",
                "biscuits-douceurs",
                "Le biscuit ancien poché puis cuit au four, à l'anis.",
                DARK_BISCUITS,
                units=(Unit("sachet 250 g", 540, 280),),
            ),
            ProductSpec(
                "Pain de mie complet",
                "pain-viennoiseries",
                "Pour les tartines du matin et les croque-monsieur.",
                LONG_LOAF,
                units=(Unit("500 g", 450, 520),),
            ),
        ),
    ),
    VendorSpec(
        slug="bocaux-de-soreze",
        name="Les Bocaux de Sorèze",
        kind="food_maker",
        tagline="Confitures et conserves de fruits du Tarn, cuites au chaudron.",
        story=(
            "Au pied de la Montagne Noire, Sorèze est entourée de vergers. Hélène Raynaud y "
            "récupère les fruits trop mûrs ou trop petits pour les étals des producteurs "
            "voisins et les transforme le jour même dans sa conserverie : confitures, compotes, "
            "chutneys et sirops. Elle cuit en petites quantités dans des chaudrons de cuivre, "
            "avec moins de sucre que les recettes classiques. Ses bocaux voyagent dans toute la "
            "région, et reviennent : la consigne est de 20 centimes le pot."
        ),
        town="Sorèze",
        workshop="Conserverie Les Bocaux de Sorèze, Sorèze",
        making=(
            "Fruits du Tarn cuits le jour de leur cueillette au chaudron de cuivre, à Sorèze, "
            "avec 55 % de fruits au minimum."
        ),
        siret="57491499008483",
        vat_number="FR10574914990",
        commission_rate_bps=1200,
        shipping_flat_cents=690,
        free_shipping_threshold_cents=4500,
        contact_email="helene@bocaux-soreze.fr",
        sku_prefix="BDS",
        logo_colour=(150, 30, 52),
        products=(
            ProductSpec(
                "Confiture de fraises",
                "miel-confitures",
                "Des fraises de Saint-Affrique et un trait de jus de citron.",
                JAM_RED,
                units=(Unit("bocal 350 g", 590, 600),),
            ),
            ProductSpec(
                "Confiture d'abricots",
                "miel-confitures",
                "Des abricots coupés en deux, fondants et acidulés.",
                JAM_ORANGE,
                units=(Unit("bocal 350 g", 590, 600),),
            ),
            ProductSpec(
                "Confiture de figues",
                "miel-confitures",
                "Des figues violettes de Sorèze, parfaites avec le fromage de chèvre.",
                JAM_DARK,
                units=(Unit("bocal 350 g", 650, 600),),
            ),
            ProductSpec(
                "Confiture de cerises noires",
                "miel-confitures",
                "Des cerises dénoyautées à la main, une par une.",
                JAM_DARK,
                units=(Unit("bocal 350 g", 690, 600),),
                stock=LOW_STOCK,
            ),
            ProductSpec(
                "Marmelade d'oranges amères",
                "miel-confitures",
                "L'amertume des écorces, pour les tartines anglaises.",
                JAM_ORANGE,
                units=(Unit("bocal 350 g", 620, 600),),
            ),
            ProductSpec(
                "Gelée de coings",
                "miel-confitures",
                "Une gelée claire et ferme, comme celle de nos grands-mères.",
                Look("jar", "gingham", (210, 110, 60), (176, 58, 52)),
                units=(Unit("bocal 250 g", 550, 450),),
            ),
            ProductSpec(
                "Compote pommes et poires",
                "miel-confitures",
                "Sans sucre ajouté, juste des fruits des vergers de Sorèze.",
                Look("jar", "", (214, 180, 110), (120, 110, 90)),
                units=(Unit("bocal 350 g", 450, 600), Unit("bocal 750 g", 790, 1150)),
            ),
            ProductSpec(
                "Chutney de figues aux épices",
                "ail-condiments",
                "Pour le foie gras et les fromages de caractère.",
                CHUTNEY,
                units=(Unit("bocal 200 g", 590, 380),),
            ),
            ProductSpec(
                "Confit d'oignons doux",
                "ail-condiments",
                "Les oignons des Jardins de la Durenque, cuits longuement au vin rouge.",
                CHUTNEY,
                units=(Unit("bocal 200 g", 550, 380),),
            ),
            ProductSpec(
                "Sirop de sureau",
                "miel-confitures",
                "Des fleurs de sureau cueillies en juin, à diluer dans l'eau fraîche.",
                Look("jar", "", (232, 214, 150), (120, 110, 90)),
                units=(Unit("bouteille 50 cl", 790, 900),),
            ),
            ProductSpec(
                "Crème de marrons",
                "miel-confitures",
                "Des châtaignes de la Montagne Noire et une gousse de vanille.",
                Look("jar", "gingham", (120, 80, 50), (120, 90, 60)),
                units=(Unit("bocal 350 g", 750, 600),),
            ),
        ),
    ),
)


class DemoAccount(NamedTuple):
    email: str
    password: str
    full_name: str
    role: str
    description: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "client@lesateliers.test",
        "demo-client-2026",
        "Margaux Cazalis",
        "customer",
        "Customer with a saved address in Castres",
    ),
    DemoAccount(
        "atelier@lesateliers.test",
        "demo-atelier-2026",
        "Inès Garrigues",
        "vendor",
        "Owner of the Vendor « Le Tissage de l'Agout »",
    ),
    DemoAccount(
        "admin@lesateliers.test",
        "demo-admin-2026",
        "Paul Vidal",
        "admin",
        "Admin of the cooperative",
    ),
)
#: The Vendor the demo vendor account acts for.
DEMO_VENDOR_SLUG = "tissage-de-l-agout"
DEMO_CUSTOMER_ADDRESS = {
    "label": "Maison",
    "full_name": "Margaux Cazalis",
    "line1": "14 rue Villegoudou",
    "line2": "",
    "postcode": "81100",
    "city": "Castres",
    "country": "FR",
    "phone": "06 12 34 56 78",
}


class PickupHours(NamedTuple):
    weekday: int  # Monday is 0
    start_hour: int
    end_hour: int


#: Opening hours of the pickup counter at the hub's shop (Europe/Paris time).
PICKUP_HOURS = (PickupHours(2, 16, 19), PickupHours(5, 9, 12))
PICKUP_CAPACITY = 20
PICKUP_FEE_CENTS = 0


class ZoneSpec(NamedTuple):
    name: str
    postcodes: tuple[str, ...]
    fee_cents: int
    round_weekdays: tuple[int, ...]  # days the van goes there, Monday is 0


DELIVERY_ZONES = (
    ZoneSpec(
        "Castres et agglomération",
        ("81100", "81290", "81710", "81580", "81090", "81570"),
        400,
        (1, 4),
    ),
    ZoneSpec("Mazamet – Montagne Noire", ("81200", "81660", "81110", "81540"), 500, (3,)),
    ZoneSpec("Lautrec – Graulhet", ("81440", "81300", "81700", "81220"), 550, (2,)),
    ZoneSpec("Sidobre – Monts de Lacaune", ("81210", "81260", "81230"), 600, (5,)),
)
ROUND_CAPACITY_STOPS = 25
ROUND_CAPACITY_GRAMS = 400_000
ROUND_CUTOFF_HOUR = 12  # the day before the round, Europe/Paris
