"""The dashboard's router: it declares the pages and runs the chosen one (nothing else).

Started by `transparency dashboard [CASE_DIR]`, which passes the case folder after `--`.
Page files live in `views/`, not `pages/`: Streamlit maps a `pages/` folder next to the main
script to URLs by itself, and such a URL would run a page without this router.
"""
from pathlib import Path

import streamlit as st

VIEWS = Path(__file__).parent / "views"

# An emoji favicon is drawn by the browser; a ":material/...:" one is fetched from fonts.gstatic.com
# by every browser that opens the dashboard (a request to a third party, on every visit).
st.set_page_config(page_title="Crisis transparency", page_icon="🔎", layout="wide")
navigation = st.navigation({
    "Case": [
        st.Page(VIEWS / "overview.py", title="Overview", icon=":material/home:", default=True),
        st.Page(VIEWS / "matrix.py", title="Disclosure matrix", icon=":material/grid_on:", url_path="disclosure-matrix"),
        st.Page(VIEWS / "scorecards.py", title="Party scorecards", icon=":material/scoreboard:",
                url_path="party-scorecards"),
        st.Page(VIEWS / "similarity.py", title="Similarity", icon=":material/compare:", url_path="similarity-and-echoes"),
    ],
    "Tools": [
        st.Page(VIEWS / "draft.py", title="Draft check", icon=":material/edit_note:", url_path="draft-check"),
        st.Page(VIEWS / "your_case.py", title="Your case", icon=":material/upload_file:", url_path="your-case"),
        st.Page(VIEWS / "export.py", title="Export", icon=":material/download:", url_path="export-files"),
    ],
})
navigation.run()
