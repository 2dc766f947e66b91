from gitops_writer.cli import main

main()
