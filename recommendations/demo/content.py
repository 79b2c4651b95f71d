"""Demo content: Cleveland Police's real findings, as published by HMICFRS.

Contains public sector information licensed under the Open Government Licence v3.0.

Short extracts from the inspectorate's register entry 9207 (crime data integrity, 2018), the
PEEL 2021/22 assessment of Cleveland Police (published March 2023) and the press release on
PEEL 2023–2025 (April 2025). Northshire Police is fictional and exists to show that one
force never sees another's data.
"""

from datetime import date

# --- Crime data integrity inspection, 2018 (register entry 9207) ------------------------------

CDI_TITLE = "Cleveland Police: Crime Data Integrity inspection 2018"
CDI_REFERENCE = "9207"
CDI_SHORT_NAME = "Crime data integrity 2018"
CDI_PUBLISHED_ON = date(2018, 8, 7)
CDI_JUDGMENTS = [("crime data integrity", "inadequate")]
CDI_CAUSE_OF_CONCERN = (
    "In Cleveland Police, officers and staff too often fail to make correct crime-recording "
    "decisions at the first opportunity when dealing with reports of violent crime, especially "
    "in cases of domestic abuse. This is due to deficiencies in the force’s crime-recording "
    "processes, insufficient understanding of crime-recording requirements, and limited "
    "supervision to correct the decisions of officers and staff and improve standards from the "
    "outset. This means that the force is letting down too many victims of crime."
)
CDI_RECOMMENDATIONS = [
    "Within three months, the force should take steps to identify and address gaps in its "
    "systems and processes within its control room for identifying and recording all reports "
    "of crime. This work should include a review of: the process for the supervision of the "
    "closure of incident records, ensuring that this includes a check of compliance with the "
    "crime-recording rules and that sufficient supervisory knowledge and capacity exists to do "
    "so; the grading process for incidents; and the procedure for arranging and managing "
    "appointments.",
    "Within six months the force should put in place arrangements to ensure that: at the point "
    "of report, for the purpose of crime recording, greater emphasis is placed on the initial "
    "account of victims and that victims are believed following a deployment; and "
    "conversations between call handlers and callers are summarised accurately in the incident "
    "log and fully communicated to attending officers, thus providing them with full facts on "
    "which to base crime-recording decisions.",
    "Within six months, the force should design and provide training for relevant staff in "
    "regard to: the importance of the first account of the victim when making crime-recording "
    "decisions, particularly in cases of domestic abuse; offences involving malicious "
    "communications, harassment and public order; recording as full an account as possible "
    "from callers within the incident record and making it clear when the incident amounts to "
    "a crime; and fully communicating all available information to officers deployed to "
    "incidents.",
]

# --- PEEL 2021/22 (published 17 March 2023) --------------------------------------------------

PEEL_2122_TITLE = "PEEL 2021/22: An inspection of Cleveland Police"
PEEL_2122_SHORT_NAME = "PEEL 2021/22"  # its items without a number read "PEEL 2021/22 R3"
PEEL_2122_PUBLISHED_ON = date(2023, 3, 17)
PEEL_2122_URL = (
    "https://www.justiceinspectorates.gov.uk/hmicfrs/peel-assessments/"
    "peel-assessments-2021-22/cleveland"
)
PEEL_2122_JUDGMENTS = [
    ("recording crime", "good"),
    ("treating people fairly and with respect", "adequate"),
    ("prevention and deterrence", "inadequate"),
    ("responding to the public", "adequate"),
    ("investigating crime", "requires-improvement"),
    ("protecting vulnerable people", "requires-improvement"),
    ("managing offenders and suspects", "adequate"),
    ("managing serious and organised crime", "adequate"),
    ("building and developing its workforce", "requires-improvement"),
    ("operating efficiently", "inadequate"),
]
PEEL_2122_PREVENTION_CONCERN = (
    "The force hasn’t fully addressed the cause of concern about preventing crime and "
    "antisocial behaviour identified in the 2019 PEEL inspection."
)
PEEL_2122_PREVENTION_RECOMMENDATIONS = [
    "Cleveland Police should take immediate steps to provide strategic direction and "
    "co-ordination of all prevention activity.",
    "Cleveland Police should take immediate steps to integrate preventative practice across "
    "the organisation and provide the capacity and capability to carry out structured "
    "problem-solving and prevention activity aligned with its priorities.",
    "Cleveland Police should take immediate steps to raise the organisational profile of "
    "evidence-based policing, thoroughly evaluate problem-orientated activity, and arrange "
    "the storage and sharing of good practice.",
]
PEEL_2122_EFFICIENCY_CONCERN = (
    "The force hasn’t fully addressed the cause of concern relating to strategic planning, "
    "organisational management and value for money identified in its 2019 PEEL inspection."
)
PEEL_2122_EFFICIENCY_RECOMMENDATIONS = [
    "Cleveland Police should continue to develop its assessment of current and potential "
    "future demand across all operational areas to inform the force’s operating model. This "
    "should include latent demand and the demand generated by internal processes.",
    "Cleveland Police should continue to develop co-ordinated financial and workforce plans "
    "based on demand, which should be integrated into the force's strategic planning cycle.",
]
PEEL_2122_AREAS_FOR_IMPROVEMENT = [
    "The force needs to improve how it communicates with the public, making sure messages "
    "align with force and community priorities, and responses are monitored.",
    "The force needs to improve how it involves the community in local policing activity.",
    "The force needs to attend calls for service, particularly those involving vulnerable "
    "people, within its published time frames and should fully update victims when this "
    "doesn’t happen.",
    "The force should make sure investigation plans are created where applicable, with "
    "supervisory oversight making sure that all investigative opportunities are taken and "
    "appropriate investigations are carried out.",
    "The force needs to make sure that it complies with the requirements of the Code of "
    "Practice for Victims of Crime.",
    "The force should improve its capability to identify hidden harm, particularly in "
    "instances where children go missing.",
    "The force should improve the way it manages MARAC referrals and make sure safeguarding "
    "processes are properly risk assessed and approved at the appropriate level.",
    "The force should improve its use and ongoing management of bail and released under "
    "investigation.",
    "The force should improve its understanding of workforce well-being with a specific focus "
    "on reducing officer sickness.",
    "The force should make sure its operational planning fully considers the effect on "
    "officer and staff well-being.",
]

# --- PEEL 2023–2025 (published 10 April 2025) -----------------------------------------------
# The press release gives the counts (four good, two adequate, two requires improvement) and
# names investigating crime and protecting vulnerable people as the areas to improve; the
# assignment of the other grades to areas follows its narrative.

PEEL_2325_TITLE = "PEEL 2023–2025: An inspection of Cleveland Police"
PEEL_2325_SHORT_NAME = "PEEL 2023–2025"
PEEL_2325_PUBLISHED_ON = date(2025, 4, 10)
PEEL_2325_JUDGMENTS = [
    ("police powers and public treatment", "adequate"),
    ("preventing crime and antisocial behaviour", "good"),
    ("responding to the public", "adequate"),
    ("investigating crime", "requires-improvement"),
    ("protecting vulnerable people", "requires-improvement"),
    ("managing offenders and suspects", "good"),
    ("building, supporting and protecting the workforce", "good"),
    ("leadership and force management", "good"),
]

CLEVELAND_STAGES = [
    (
        "scan",
        date(2018, 8, 7),
        "Routine monitoring at the time of the 2018 crime data integrity inspection.",
    ),
    (
        "engage",
        date(2019, 9, 27),
        "Placed in enhanced monitoring (engage) after the 2019 PEEL "
        "inspection found the force inadequate in all areas.",
    ),
]

# --- Northshire Police (fictional) -----------------------------------------------------------

NORTHSHIRE_NAME = "Northshire Police (demo)"
NORTHSHIRE_TITLE = "Northshire Police (demo): fictional inspection of custody services"
NORTHSHIRE_SHORT_NAME = "Custody services (demo)"
NORTHSHIRE_CONCERN = (
    "Fictional: the force does not make sure that detainees at risk are checked as often as "
    "their care plans require."
)
NORTHSHIRE_RECOMMENDATIONS = [
    "Within three months, the force should audit observation levels in every custody suite.",
    "Within six months, the force should train all custody sergeants in risk assessment.",
]
NORTHSHIRE_AREA_FOR_IMPROVEMENT = (
    "The force should improve how it records the use of force in custody."
)
