from ccme_crawler.cli import main

main()
