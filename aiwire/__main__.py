from aiwire.cli import main

if __name__ == "__main__":     # worker processes spawned by the analyse stage import this
    main()
