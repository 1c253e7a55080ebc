"""Disclosure matrix: facts × parties, filterable; choosing a cell shows its evidence sentences."""
import html

import altair as alt
import streamlit as st

from analyzer.serve import STATUSES, evidence_frame, fact_labels, matrix_frame
from dashboard.state import active_result, case_caption, md, stop_without_text

STATUS_COLOURS = ("#2e7d32", "#f9a825", "#c62828", "#e0e0e0")  # in STATUSES order

result = active_result()
st.title("Disclosure matrix")
case_caption(result)
stop_without_text(result)

channel_col, language_col, date_col = st.columns(3)
channels = channel_col.multiselect("Channel", ["public", "internal", "unknown"],
                                   default=["public", "internal", "unknown"], key="filter_channels")
languages_all = sorted(set(result.documents["language"].fillna("")) - {""})
languages = language_col.multiselect("Language", languages_all, default=languages_all, key="filter_languages")
dates_all = sorted(set(result.documents["date"].fillna("")) - {""})
dates = None
if len(dates_all) > 1:
    dates = date_col.select_slider("Document dates", options=dates_all, value=(dates_all[0], dates_all[-1]),
                                   key="filter_dates")
    date_col.caption("Undated documents are always kept.")

matrix = matrix_frame(result, channels, languages, dates)
parties = list(dict.fromkeys(matrix["party"]))
labels = fact_labels()

chart = alt.Chart(matrix).mark_rect(stroke="white").encode(
    x=alt.X("party:N", sort=parties, title=None, axis=alt.Axis(labelAngle=-30, orient="top", labelLimit=160)),
    y=alt.Y("label:N", sort=list(labels.values()), title=None, axis=alt.Axis(labelLimit=320)),
    color=alt.Color("status:N", scale=alt.Scale(domain=list(STATUSES), range=list(STATUS_COLOURS)),
                    legend=alt.Legend(title=None, orient="bottom")),
    tooltip=["party", "role", "label", "status", "n_mentions", "values", "first_date"],
).add_params(alt.selection_point(name="cell", fields=["party", "fact"])).properties(
    height=alt.Step(22), width=alt.Step(70))
picked = st.altair_chart(chart, on_select="rerun", key="matrix_chart")

# A click on the chart moves the selectboxes; afterwards they can be changed by hand.
points = (picked or {}).get("selection", {}).get("cell", []) if picked else []
if points:
    pick = (points[0].get("party"), points[0].get("fact"))
    if pick != st.session_state.get("last_pick") and pick[0] in parties and pick[1] in labels:
        st.session_state.update(last_pick=pick, cell_party=pick[0], cell_fact=pick[1])

with st.expander("The matrix as a table"):
    st.dataframe(matrix.pivot(index="label", columns="party", values="status").reindex(
        index=list(labels.values()), columns=parties), width="stretch")

st.subheader("Evidence")
disclosed = matrix[matrix["status"] != "omitted"]
if st.session_state.get("cell_party") not in parties:  # first visit, or another case was loaded
    st.session_state.pop("cell_party", None)
if "cell_party" not in st.session_state and not disclosed.empty:
    st.session_state.update(cell_party=disclosed.iloc[0]["party"], cell_fact=disclosed.iloc[0]["fact"])
party_col, fact_col = st.columns(2)
party = party_col.selectbox("Party", parties, key="cell_party")
fact = fact_col.selectbox("Fact", list(labels), format_func=labels.get, key="cell_fact")
status = matrix[(matrix["party"] == party) & (matrix["fact"] == fact)]["status"]
st.markdown(f"**{md(party)}** · *{md(labels[fact])}* · {status.iloc[0] if len(status) else 'omitted'}")

evidence = evidence_frame(result, party, fact, channels, languages, dates)
if evidence.empty:
    st.info(f"{md(party)} does not state this fact in the documents kept by the filters.")
for row in evidence.itertuples(index=False):
    source = " · ".join(html.escape(str(part)) for part in (row.doc_id, row.outlet, row.date or "undated",
                                                           row.channel, row.polarity, row.value) if part)
    # row.html is the sentence escaped by analyzer.serve.highlight; only <mark> is markup.
    st.html(f'<div class="evidence" style="border-left:3px solid #999;padding:0 .8em;margin:.6em 0">'
            f'<p style="margin:0">{row.html}</p><small style="color:#666">{source}</small></div>')
