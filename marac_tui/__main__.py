from marac_tui.cli import main

raise SystemExit(main())
