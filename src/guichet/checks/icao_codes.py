"""Codes of issuing states and nationalities in machine-readable zones.

ICAO Doc 9303 Part 3 (§5, "Three-letter codes"): the ISO 3166-1 alpha-3 codes, plus
codes ICAO reserves for Germany (`D`), British nationality categories, the United
Nations, other international organisations, stateless persons and refugees. `UTO`
(Utopia) is the fictional state of the Doc 9303 specimens. A code missing from this
list is worth a second look, not a refusal: the list changes (Kosovo's `RKS`, the EU's
`EUE` were added later), so the MRZ check makes it a warning.
"""

from __future__ import annotations

# ISO 3166-1 alpha-3 (249 officially assigned codes).
ISO_3166_ALPHA_3 = frozenset(
    """
    ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN
    BES BFA BGD BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN
    CCK CHE CHL CHN CIV CMR COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE DEU
    DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR
    GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV
    HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM
    KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA
    MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM
    NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL
    PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE
    SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK
    TKL TKM TLS TON TTO TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB
    VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE
    """.split()  # noqa: SIM905 - laid out as a table, as Doc 9303 prints the codes
)

# Doc 9303 Part 3 additions: Germany, British categories, UN and other
# organisations, Kosovo, the European Union, stateless persons and refugees.
ICAO_ADDITIONS = frozenset(
    """
    D GBD GBN GBO GBP GBS UNO UNA UNK XBA XIM XCC XCE XCO XEC XPO XES XMP XOM XDC
    XXA XXB XXC XXX RKS XKX EUE
    """.split()  # noqa: SIM905 - laid out as a table, as Doc 9303 prints the codes
)

SPECIMEN = "UTO"

KNOWN = ISO_3166_ALPHA_3 | ICAO_ADDITIONS
