from reportedly.cli import main

main()
