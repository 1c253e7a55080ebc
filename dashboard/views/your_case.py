"""Your case: upload documents (or a zipped case), describe them, analyse, and download the case folder."""
import tempfile
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from analyzer import analyze_case
from analyzer.model import ROLES
from analyzer.serve import error_line
from analyzer.upload import UploadedDocument, case_zip, extract_case_zip, parse_parties, write_case
from dashboard.state import UPLOADED, UPLOADED_ZIP, active_result, md

st.title("Your case")
st.markdown("Upload the documents of a crisis (txt, md, html, pdf, docx) or a zipped case folder, describe "
            "them, and analyse: the other pages then show your case.")

uploads = st.file_uploader("Documents or a zipped case", accept_multiple_files=True, key="case_files",
                           type=["txt", "md", "html", "htm", "pdf", "docx", "zip"])
zips = [u for u in uploads if u.name.lower().endswith(".zip")]
documents = [u for u in uploads if not u.name.lower().endswith(".zip")]


def analyse(write: Callable[[Path], Path]) -> None:
    """Write the uploads into a temporary case folder, analyse it and make it this session's case.

    The folder is removed afterwards, also on an error: the session keeps the analysis and the
    case zipped (for the download), and the uploads leave nothing on the server's disk. Any
    error is one plain line on the page, without the temporary folder's path.
    """
    folder = None
    try:
        with tempfile.TemporaryDirectory(prefix="transparency-case-") as folder, st.spinner("Analysing your case…"):
            case_dir = write(Path(folder))
            result = analyze_case(case_dir)
            zipped = case_zip(case_dir)
    except Exception as error:  # never a traceback: error_line logs unexpected errors for the server
        st.error(md(error_line(error, folder)))
        return
    st.session_state[UPLOADED] = result
    st.session_state[UPLOADED_ZIP] = zipped
    st.success(f"Analysed {md(result.case.id)}: {len(result.documents)} documents, {len(result.mentions)} "
               "fact mentions. The other pages now show it.")


if zips:
    if st.button(f"Analyse {md(zips[0].name)}", type="primary", key="analyse_zip"):
        analyse(lambda folder: extract_case_zip(zips[0].getvalue(), folder, zips[0].name))
elif documents:
    with st.form("case_form"):
        id_col, title_col, org_col = st.columns(3)
        case_id = id_col.text_input("Case id", "my-case", key="case_id")
        title = title_col.text_input("Title", "My crisis", key="case_title")
        organisation = org_col.text_input("Organisation", key="case_organisation")
        parties_text = st.text_area("Parties, one per line: Name | role | aliases", key="case_parties",
                                    placeholder="MMA / Covéa | management | MMA, Covéa\nCGT Covéa | union | CGT")
        metadata = []
        for index, upload in enumerate(documents):
            st.markdown(f"**{md(upload.name)}**")
            kind_col, date_col, language_col, outlet_col, channel_col = st.columns(5)
            metadata.append(dict(
                kind=kind_col.selectbox("Kind", ROLES, index=ROLES.index("press"), key=f"kind_{index}"),
                date=date_col.text_input("Date (YYYY-MM-DD)", key=f"date_{index}"),
                language=language_col.selectbox("Language", ["", "fr", "en"], key=f"language_{index}",
                                                format_func=lambda code: code or "detect"),
                outlet=outlet_col.text_input("Outlet", key=f"outlet_{index}"),
                channel=channel_col.selectbox("Channel", ["public", "internal"], key=f"channel_{index}")))
        submitted = st.form_submit_button("Analyse", type="primary")
    if submitted:
        uploaded = [UploadedDocument(u.name, u.getvalue(), **m) for u, m in zip(documents, metadata)]
        analyse(lambda folder: write_case(folder, case_id, title, uploaded, parse_parties(parties_text), organisation))

if st.session_state.get(UPLOADED) is not None:
    result = active_result()
    st.divider()
    st.markdown(f"Active case: **{md(result.case.title)}** ({md(result.case.id)}), uploaded this session.")
    left, right = st.columns(2)
    left.download_button("Download the case folder (zip)", st.session_state[UPLOADED_ZIP],
                         file_name=f"{result.case.id}-case.zip", mime="application/zip", key="case_zip")
    if right.button("Back to the launch case", key="forget_upload"):
        st.session_state.pop(UPLOADED, None)
        st.session_state.pop(UPLOADED_ZIP, None)
        st.rerun()
    st.caption("Unzip it and run `transparency analyze FOLDER --out OUT` to get the same tables.")
