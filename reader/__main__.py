from reader.cli.main import main

if __name__ == "__main__":  # importing this module (the import-hygiene test does) runs nothing
    raise SystemExit(main())
