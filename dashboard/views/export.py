"""Export: every table as the CLI writes it (same bytes), one by one or as one zip."""
import streamlit as st

from analyzer.serve import export_files, export_zip
from analyzer.serve import has_text
from dashboard.state import NO_TEXT, active_result, case_caption, md

result = active_result()
st.title("Export")
case_caption(result)
st.markdown("The files are those `transparency analyze CASE --out OUT` writes, byte for byte.")
if not has_text(result):
    st.info(NO_TEXT + " The files below hold the documents and empty tables with their columns.")

with st.spinner("Preparing the files…"):
    files = export_files(result)
st.download_button(f"All files ({md(result.case.id)}.zip)", export_zip(files, result.case.id),
                   file_name=f"{result.case.id}.zip", mime="application/zip", type="primary", key="export_zip")
for name, data in files.items():
    mime = "application/json" if name.endswith(".json") else "text/csv"
    left, right = st.columns([3, 1])
    left.markdown(f"{md(name)} · {len(data):,} bytes")
    right.download_button(f"Download {name}", data, file_name=name, mime=mime, key=f"export_{name}")
