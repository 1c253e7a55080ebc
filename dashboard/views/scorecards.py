"""Party scorecards: coverage, omissions, exclusives, specificity, hedging, lag, regulatory checklists."""
import streamlit as st

from analyzer.serve import regulatory_checklist, scorecard
from dashboard.format import EMPTY, fact_list, format_cell, format_share, is_blank, regulatory_label
from dashboard.state import active_result, case_caption, md, missing_table, stop_without_text

SHARES = ("coverage", "weighted_coverage", "specificity", "hedging", "gdpr_completeness", "nis2_completeness",
          "sec_completeness")
COUNTS = ("n_facts", "omissions", "exclusives", "contradictions", "channel_gap")
SCORE_COLUMNS = {  # scores column -> (header, width)
    "name": ("Party or document", "medium"), "level": ("Level", "small"), "role": ("Role", "small"),
    "n_facts": ("Facts", "small"), "coverage": ("Coverage", "small"), "weighted_coverage": ("Weighted", "small"),
    "omissions": ("Omissions", "small"), "exclusives": ("Exclusives", "small"),
    "contradictions": ("Contra­dictions", "small"), "specificity": ("Specific", "small"),
    "hedging": ("Hedging", "small"), "lag_days": ("Lag (days)", "small"), "channel_gap": ("Channel gap", "small"),
    "gdpr_completeness": ("GDPR", "small"), "nis2_completeness": ("NIS2", "small"),
    "sec_completeness": ("SEC", "small"),
}

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
        # An item by its label (analyzer/data/regulations.yaml), its facts by theirs: never by ids.
        shown = items.assign(item=items["item"].map(regulatory_label), facts=items["facts"].map(fact_list),
                             disclosed_facts=items.get("disclosed_facts", items["facts"].iloc[:0]).map(fact_list))
        st.dataframe(shown[["met", "item", "disclosed_facts", "facts"]], hide_index=True, width="stretch",
                     column_config={
                         "met": st.column_config.CheckboxColumn("Met", width="small"),
                         "item": st.column_config.TextColumn("Item", width="large"),
                         "disclosed_facts": st.column_config.TextColumn("Met by", width="medium"),
                         "facts": st.column_config.TextColumn("Facts that meet it", width="large"),
                     })

st.subheader("All parties and documents")
st.caption("Shares are percentages; “—” is undefined (nothing to divide by, or no dated disclosure), not zero.")
table = scores[[c for c in SCORE_COLUMNS if c in scores.columns]].copy()
for column in table.columns:
    if column in SHARES:
        table[column] = table[column].map(format_share)
    elif column in COUNTS:
        table[column] = table[column].map(lambda v: EMPTY if is_blank(v) else str(int(v)))
    else:
        table[column] = table[column].map(format_cell)
st.dataframe(table, hide_index=True, width="stretch",
             column_config={c: st.column_config.TextColumn(h, width=w) for c, (h, w) in SCORE_COLUMNS.items()})
