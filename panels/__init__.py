"""leap: LEAP panels, their cycle and their documents; never imports Textual."""
