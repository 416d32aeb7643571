from reader.cli.main import main

if __name__ == "__main__":  # importing it (the import-hygiene test does) must not start the app
    raise SystemExit(main())
