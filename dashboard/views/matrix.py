"""Disclosure matrix: facts × parties, filterable; choosing a cell shows its evidence sentences."""
import html

import altair as alt
import streamlit as st

from analyzer.serve import STATUSES, evidence_frame, fact_labels, filter_mentions, matrix_frame, status_counts
from dashboard.format import STATUS_WORDS, format_date, mention_values
from dashboard.state import active_result, case_caption, md, show_evidence, stop_without_text

# One colour per status: omitted (others said it) is orange, unknown (nobody said it) pale grey.
STATUS_COLOURS = {"disclosed": "#2e7d32", "exclusive": "#1565c0", "internal only": "#8e24aa",
                  "contradicted": "#c62828", "omitted": "#ffb74d", "unknown": "#e6e6e6"}

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
                                   format_func=format_date, key="filter_dates")
    date_col.caption("Undated documents are always kept.")

matrix = matrix_frame(result, channels, languages, dates)
parties = list(dict.fromkeys(matrix["party"]))
labels = fact_labels()
mentions = filter_mentions(result, channels, languages, dates)
shown_values = {key: mention_values(group) for key, group in mentions.groupby(["source_name", "fact"], sort=False)}
matrix_shown = matrix.assign(
    status_words=matrix["status"].map(STATUS_WORDS),
    shown_values=[shown_values.get((p, f), "—") for p, f in zip(matrix["party"], matrix["fact"])],
    shown_date=matrix["first_date"].map(format_date))

# The legend is drawn by the page (not by Vega), with each status's count: these counts are the
# scorecards' omissions, exclusives and contradictions summed over the parties.
counts = status_counts(matrix)
swatches = "".join(
    f'<span class="legend-item" data-status="{html.escape(status)}" data-count="{counts[status]}" '
    f'style="display:inline-flex;align-items:center;margin:0 1.2em .3em 0;white-space:nowrap" '
    f'title="{html.escape(STATUS_WORDS[status])}">'
    f'<span style="display:inline-block;width:14px;height:14px;border:1px solid #999;margin-right:.4em;'
    f'background:{STATUS_COLOURS[status]}"></span>{html.escape(status)}: <b style="margin-left:.3em">'
    f'{counts[status]}</b></span>' for status in STATUSES)
st.html(f'<div class="matrix-legend" style="margin:.2em 0 .8em 0">{swatches}</div>')

chart = alt.Chart(matrix_shown).mark_rect(stroke="white", strokeWidth=1.5).encode(
    x=alt.X("party:N", sort=parties, title=None, axis=alt.Axis(labelAngle=0, orient="bottom", labelLimit=120)),
    y=alt.Y("label:N", sort=list(labels.values()), title=None, axis=alt.Axis(labelLimit=320)),
    color=alt.Color("status:N", scale=alt.Scale(domain=list(STATUSES), range=[STATUS_COLOURS[s] for s in STATUSES]),
                    legend=None),
    tooltip=[alt.Tooltip("label:N", title="Fact"), alt.Tooltip("party:N", title="Party"),
             alt.Tooltip("role:N", title="Role"), alt.Tooltip("status_words:N", title="Status"),
             alt.Tooltip("n_mentions:Q", title="Mentions"), alt.Tooltip("shown_values:N", title="Values"),
             alt.Tooltip("shown_date:N", title="First said")],
).add_params(alt.selection_point(name="cell", fields=["party", "fact"])).properties(
    height=alt.Step(22), width=alt.Step(110), padding={"top": 30, "right": 10, "bottom": 5, "left": 5})
picked = st.altair_chart(chart, on_select="rerun", key="matrix_chart")
st.caption("Click a cell to see the sentences behind it.")

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
disclosed = matrix[~matrix["status"].isin(["omitted", "unknown"])]
if st.session_state.get("cell_party") not in parties:  # first visit, or another case was loaded
    st.session_state.pop("cell_party", None)
if "cell_party" not in st.session_state and not disclosed.empty:
    st.session_state.update(cell_party=disclosed.iloc[0]["party"], cell_fact=disclosed.iloc[0]["fact"])
party_col, fact_col = st.columns(2)
party = party_col.selectbox("Party", parties, key="cell_party")
fact = fact_col.selectbox("Fact", list(labels), format_func=labels.get, key="cell_fact")
status = matrix[(matrix["party"] == party) & (matrix["fact"] == fact)]["status"]
status_word = STATUS_WORDS[status.iloc[0] if len(status) else "omitted"]
st.markdown(f"**{md(party)}** · *{md(labels[fact])}* · {md(status_word)}")

evidence = evidence_frame(result, party, fact, channels, languages, dates)
if evidence.empty:
    st.info(f"{md(party)} does not state this fact in the documents kept by the filters.")
show_evidence(evidence)
