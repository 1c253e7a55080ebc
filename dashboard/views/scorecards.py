"""Party scorecards: coverage, omissions, exclusives, specificity, hedging, lag, regulatory checklists."""
import streamlit as st

from analyzer.serve import scorecard, regulatory_checklist
from dashboard.state import active_result, case_caption, md, missing_table, stop_without_text

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
        met = items[items["met"]]
        st.markdown(f"**{md(framework)}**: {len(met)} of {len(items)} items met")
        st.dataframe(items.drop(columns=["framework"]), hide_index=True, width="stretch")

st.subheader("All parties and documents")
st.caption("Ratios are in [0, 1]; an empty cell is undefined (nothing to divide by), not zero.")
st.dataframe(scores, hide_index=True, width="stretch")
