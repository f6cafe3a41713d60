"""The form's layout and colours (Textual CSS): sections on the left, the section in the
middle, its findings on the right (below it on a narrow terminal), a status line."""

FORM_CSS = """
    #case { height: auto; max-height: 3; background: $primary-background; padding: 0 1; }
    #body { height: 1fr; }
    #sections { width: 26; border-right: vkey $panel; }
    #sections { scrollbar-size-vertical: 1; }
    #sections ListItem { padding: 0 0 0 1; }
    #main { width: 1fr; }
    #section { width: 1fr; height: 1fr; }
    .pane { padding: 0 1; scrollbar-size-vertical: 1; }
    #findings-box { width: 36; border-left: vkey $panel; }
    Screen.-narrow #sections { width: 22; }
    Screen.-narrow #main { layout: vertical; }
    Screen.-narrow #findings-box { width: 100%; height: 6; border-left: none;
                                   border-top: hkey $panel; }
    #findings-title { text-style: bold; padding: 0 1; }
    #findings { height: 1fr; }
    #status { height: 1; padding: 0 1; background: $boost; }
    .note { color: $text-muted; margin: 0 0 1 0; }
"""
