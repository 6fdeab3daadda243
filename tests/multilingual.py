"""Test sites in other languages: a bilingual English/Spanish site with a report translated both ways, an Arabic site, a French site."""

from __future__ import annotations

from conftest import PEOPLE_YAML, REPORT_YAML, SNAPSHOT

BASE_URL = "https://checks.example.org/"

SCALE_TRANSLATED = """\
ratings:
  scale:
    - key: "true"
      label: "True"
      definition: Accurate.
      value: 2
      color: "#1a7f37"
      translations: [{language: es, label: Verdadero, definition: Exacto.}]
    - key: "false"
      label: "False"
      definition: Not accurate.
      value: 1
      color: "#c0202c"
      translations: [{language: es, label: Falso, definition: No es exacto.}]
"""

SNAPSHOT_ES = """El Diario

La alcaldesa Juana Pérez dijo el martes que la política de vivienda duplicó los alquileres desde 2015. Los críticos no están de acuerdo.
El ayuntamiento gastó 4 millones de euros en albergues el año pasado, según su presupuesto.
"""

REPORT_ES = """\
id: diario-alquileres
title: "Verificación: El Diario sobre los alquileres"
summary: Una afirmación se sostiene y otra no.
status: published
published: 2026-05-02
language: es
translations: [planet-rents]
authors: [ann]
reviewers: [bob]
topics: [Vivienda]
article:
  headline: La política de vivienda duplicó los alquileres, según la alcaldesa
  publisher: El Diario
  url: https://diario.example/alquileres
  retrieved: 2026-04-30
  snapshot: seeds/diario.txt
claims:
  - id: rents-doubled
    quote:
      exact: la política de vivienda duplicó los alquileres desde 2015
    claim_reviewed: La política de vivienda duplicó los alquileres desde 2015
    claimant: {name: Juana Pérez, type: person, job_title: Alcaldesa}
    verdict:
      rating: "false"
      explanation: Los alquileres subieron un 38 %, no un 100 %.
    analysis: |
      El índice de alquileres muestra una subida del 38 % [@indice].
    sources: [indice]
  - id: shelter-spend
    quote:
      exact: El ayuntamiento gastó 4 millones de euros en albergues el año pasado
    claim_reviewed: El ayuntamiento gastó 4 millones de euros en albergues
    verdict:
      rating: "true"
      explanation: El presupuesto recoge 4,0 millones.
    analysis: |
      La partida del presupuesto es de 4,0 millones [@indice].
    sources: [indice]
sources:
  - id: indice
    title: Índice de alquileres 2015-2025
    publisher: Oficina de Estadística
    url: https://estadistica.example/alquileres
    kind: primary
"""


def bilingual_site() -> dict[str, str]:
    """English at the root, Spanish under /es/; planet-rents and diario-alquileres are each other's translation."""
    site = (
        "title: Test Checks\n"
        "description: A test site.\n"
        f"base_url: {BASE_URL}\n"
        "languages:\n"
        "  - code: en\n"
        "  - code: es\n"
        "    title: Verificaciones de Prueba\n"
        "    description: Un sitio de prueba.\n"
        "organization:\n  name: Test Org\n" + SCALE_TRANSLATED
    )
    report = REPORT_YAML.replace("topics: [Housing]\n", "topics: [Housing]\ntranslations: [diario-alquileres]\n").replace('rating: "true"', 'rating: "true"')
    return {
        "content/site.yaml": site,
        "content/people.yaml": PEOPLE_YAML,
        "content/reports/planet-rents.yaml": report.replace("unproven", "false"),
        "content/reports/diario-alquileres.yaml": REPORT_ES,
        "content/pages/about.md": "---\ntitle: About us\nmenu: 1\n---\nWe check claims.\n",
        "content/pages/acerca.md": "---\ntitle: Quiénes somos\nmenu: 1\nlanguage: es\n---\nVerificamos afirmaciones.\n",
        "seeds/planet.txt": SNAPSHOT,
        "seeds/diario.txt": SNAPSHOT_ES,
    }


SNAPSHOT_AR = """صحيفة المدينة

قال الوزير يوم الثلاثاء إن أسعار الإيجارات تضاعفت في العاصمة منذ عام 2015. ويخالفه المنتقدون الرأي.
وأنفقت البلدية أربعة ملايين دينار على الملاجئ في العام الماضي، بحسب ميزانيتها.
"""

SITE_AR = f"""\
title: مدقّق
description: تدقيق مستقل للادعاءات المنشورة.
language: ar
base_url: {BASE_URL}
organization:
  name: مؤسسة التدقيق
ratings:
  scale:
    - {{key: "true", label: صحيح, definition: الادعاء دقيق., value: 2, color: "#1a7f37"}}
    - {{key: "false", label: خاطئ, definition: الادعاء غير دقيق., value: 1, color: "#c0202c"}}
"""

REPORT_AR = """\
id: madina-rents
title: "تدقيق: صحيفة المدينة عن الإيجارات"
summary: ادعاء صحيح وآخر خاطئ.
status: published
published: 2026-05-01
authors: [ann]
reviewers: [bob]
topics: [السكن]
article:
  headline: الوزير يقول إن الإيجارات تضاعفت
  publisher: صحيفة المدينة
  url: https://madina.example/rents
  retrieved: 2026-04-30
  snapshot: seeds/madina.txt
claims:
  - id: rents-doubled
    quote:
      exact: أسعار الإيجارات تضاعفت في العاصمة منذ عام 2015
    claim_reviewed: أسعار الإيجارات تضاعفت في العاصمة منذ 2015
    claimant: {name: الوزير, type: person, job_title: وزير الإسكان}
    verdict:
      rating: "false"
      explanation: ارتفعت الإيجارات بنسبة 38 في المئة فقط.
    analysis: |
      يُظهر مؤشر الإيجارات ارتفاعًا بنسبة 38 في المئة [@index].
    sources: [index]
  - id: shelter-spend
    quote:
      exact: وأنفقت البلدية أربعة ملايين دينار على الملاجئ في العام الماضي
    claim_reviewed: أنفقت البلدية أربعة ملايين دينار على الملاجئ
    verdict:
      rating: "true"
      explanation: تُظهر الميزانية أربعة ملايين دينار.
    analysis: |
      بند الميزانية أربعة ملايين دينار [@index].
    sources: [index]
sources:
  - id: index
    title: مؤشر الإيجارات 2015-2025
    publisher: دائرة الإحصاء
    url: https://stats.example/rents
    kind: primary
"""


def arabic_site() -> dict[str, str]:
    """A one-language Arabic site (right to left)."""
    return {
        "content/site.yaml": SITE_AR,
        "content/people.yaml": PEOPLE_YAML,
        "content/reports/madina-rents.yaml": REPORT_AR,
        "content/pages/about.md": "---\ntitle: من نحن\nmenu: 1\n---\nندقّق الادعاءات المنشورة.\n",
        "seeds/madina.txt": SNAPSHOT_AR,
    }


SNAPSHOT_FR = """Le Quotidien

Le maire a déclaré mardi que les loyers avaient doublé à Lyon depuis 2015. Ses opposants contestent.
La mairie a dépensé 4 millions d'euros pour les refuges l'an dernier, selon son budget.
"""


def french_site() -> dict[str, str]:
    """A one-language French site."""
    site = (
        "title: Vérifications\ndescription: Des vérifications indépendantes.\nlanguage: fr\n"
        f"base_url: {BASE_URL}\norganization:\n  name: Test Org\n"
        "ratings:\n  scale:\n"
        '    - {key: "true", label: Vrai, definition: Exact., value: 2, color: "#1a7f37"}\n'
        '    - {key: "false", label: Faux, definition: Inexact., value: 1, color: "#c0202c"}\n'
    )
    report = (
        REPORT_ES.replace("language: es\ntranslations: [planet-rents]\n", "")
        .replace("id: diario-alquileres", "id: quotidien-loyers")
        .replace("seeds/diario.txt", "seeds/quotidien.txt")
        .replace("la política de vivienda duplicó los alquileres desde 2015", "les loyers avaient doublé à Lyon depuis 2015")
        .replace("La política de vivienda duplicó los alquileres desde 2015", "Les loyers ont doublé à Lyon depuis 2015")
        .replace("El ayuntamiento gastó 4 millones de euros en albergues el año pasado", "La mairie a dépensé 4 millions d'euros pour les refuges")
        .replace("El ayuntamiento gastó 4 millones de euros en albergues", "La mairie a dépensé 4 millions d'euros pour les refuges")
        .replace("Verificación: El Diario sobre los alquileres", "Vérification : Le Quotidien et les loyers")
    )
    return {
        "content/site.yaml": site,
        "content/people.yaml": PEOPLE_YAML,
        "content/reports/quotidien-loyers.yaml": report,
        "content/pages/about.md": "---\ntitle: Qui sommes-nous\nmenu: 1\n---\nNous vérifions des affirmations.\n",
        "seeds/quotidien.txt": SNAPSHOT_FR,
    }
