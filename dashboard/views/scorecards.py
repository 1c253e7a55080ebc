"""Party scorecards: coverage, omissions, exclusives, specificity, hedging, lag, regulatory checklists."""
import streamlit as st

from analyzer.serve import regulatory_checklist, scorecard
from dashboard.format import EMPTY, format_cell, format_share, is_blank, regulatory_label
from dashboard.state import active_result, case_caption, md, missing_table, show_checklist, stop_without_text

SHARES = ("coverage", "weighted_coverage", "specificity", "hedging", "gdpr_completeness", "nis2_completeness",
          "sec_completeness")
COUNTS = ("n_facts", "omissions", "exclusives", "contradictions", "channel_gap")
TABLES = {  # table -> scores column -> (header, width in pixels, help); each fits 1440 px without scrolling
    "Disclosure": {
        "name": ("Name", 140, None), "role": ("Role", 90, None), "n_facts": ("Facts", 48, "Facts disclosed"),
        "coverage": ("Coverage", 72, None), "weighted_coverage": ("Weighted", 72, "Weighted coverage"),
        "omissions": ("Omissions", 74, None), "exclusives": ("Exclusives", 72, None),
        "contradictions": ("Contradictions", 98, None), "specificity": ("Specificity", 74, None),
        "hedging": ("Hedging", 64, None), "lag_days": ("Lag (days)", 70, None),
        "channel_gap": ("Channel gap", 84, None)},
    "Regulatory completeness": {
        "name": ("Name", 170, None), "role": ("Role", 100, None), "gdpr_completeness": ("GDPR Art. 33/34", 130, None),
        "nis2_completeness": ("NIS2 Art. 23", 130, None), "sec_completeness": ("SEC 8-K 1.05", 130, None)},
}


def _shown(column: str, value: object) -> str:
    """A scores cell as text: shares as percentages, counts as integers, undefined as EMPTY."""
    if column in SHARES:
        return format_share(value)
    if column in COUNTS:
        return EMPTY if is_blank(value) else str(int(value))
    return format_cell(value)


result = active_result()
st.title("Party scorecards")
case_caption(result)
stop_without_text(result)

scores = result.extra.get("scores")
if scores is None:
    missing_table("scores")
    st.stop()
parties = list(dict.fromkeys(scores.loc[scores["level"] == "party", "name"]))
party = st.selectbox("Party", parties, key="score_party")
card = scorecard(result, party)
columns = st.columns(min(len(card), 4) or 1)
for index, (name, (value, help_text)) in enumerate(card.items()):
    columns[index % len(columns)].metric(name, value, help=help_text)

st.subheader("Regulatory checklists")
checklist = regulatory_checklist(result, party)
if checklist is None:
    missing_table("regulatory")
else:
    for framework, items in checklist.groupby("framework", sort=False):
        met = items[items["met"].astype(bool)]
        st.markdown(f"**{md(framework)}**: {len(met)} of {len(items)} items met")
        show_checklist(items.assign(label=items["item"].map(regulatory_label)))

st.subheader("All parties and documents")
st.caption("Shares are percentages; “—” is undefined (nothing to divide by, or no dated disclosure), not zero.")
for level, title in (("party", "Parties"), ("document", "Documents")):
    rows = scores[scores["level"] == level]
    if rows.empty:
        continue
    for table, columns in TABLES.items():
        shown = rows[[c for c in columns if c in rows.columns]]
        shown = shown.assign(**{c: [_shown(c, v) for v in shown[c]] for c in shown.columns})
        if (shown.drop(columns=["name", "role"], errors="ignore") == EMPTY).all(axis=None):
            continue  # every score undefined at this level (documents have no checklists)
        st.markdown(f"**{title}: {table.lower()}**")
        st.dataframe(shown, hide_index=True, width="content", column_config={
            c: st.column_config.TextColumn(h, width=w, help=tip) for c, (h, w, tip) in columns.items()})
